"""Attribute converters and validators: each returns the converted value or raises Invalid."""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Callable
from typing import Any

Converter = Callable[[Any], Any]
MAC = re.compile(r"^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$")


class Invalid(ValueError):
    """A value an attribute refuses; the text is Neutron's reason."""


def string(max_len: int = 255) -> Converter:
    """A string of at most `max_len` characters."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid(f"'{value}' is not a valid string")
        if len(value) > max_len:
            raise Invalid(f"'{value}' exceeds maximum length of {max_len}")
        return value

    return check


def boolean(value: Any) -> bool:
    """True/False, also as the strings Neutron accepts."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(value, str) and value.lower() in ("false", "0", "no", "off"):
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise Invalid(f"'{value}' cannot be converted to boolean")


def uuid_str(value: Any) -> str:
    """A UUID in its canonical string form."""
    try:
        return str(uuid.UUID(str(value))) if isinstance(value, str) else _bad_uuid(value)
    except ValueError:
        return _bad_uuid(value)


def _bad_uuid(value: Any) -> str:
    raise Invalid(f"'{value}' is not a valid UUID")


def uuid_or_none(value: Any) -> str | None:
    """A UUID, or None."""
    return None if value is None else uuid_str(value)


def integer(low: int | None = None, high: int | None = None) -> Converter:
    """An integer (or its digits) within [low, high]."""

    def check(value: Any) -> int:
        try:
            number = int(value) if not isinstance(value, bool) else _bad_int(value)
        except (TypeError, ValueError):
            number = _bad_int(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise Invalid(f"'{value}' is not in range {low} through {high}")
        return number

    return check


def _bad_int(value: Any) -> int:
    raise Invalid(f"'{value}' is not an integer")


def one_of(*values: Any) -> Converter:
    """One of `values`."""

    def check(value: Any) -> Any:
        if value not in values:
            raise Invalid(f"'{value}' is not in {list(values)}")
        return value

    return check


def ip_address(value: Any) -> str:
    """An IPv4 or IPv6 address in its canonical form."""
    if not isinstance(value, str):
        raise Invalid(f"'{value}' is not a valid IP address")
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise Invalid(f"'{value}' is not a valid IP address") from None


def ip_or_none(value: Any) -> str | None:
    """An IP address or None."""
    return None if value is None else ip_address(value)


def cidr(value: Any) -> str:
    """A network in CIDR form whose host bits are zero."""
    try:
        net = ipaddress.ip_network(value, strict=False) if isinstance(value, str) else None
    except ValueError:
        net = None
    if net is None or "/" not in value:
        raise Invalid(f"'{value}' is not a valid IP subnet")
    if str(net) != value and str(net.network_address) != value.split("/")[0]:
        raise Invalid(f"'{value}' isn't a recommended CIDR, '{net}' is recommended")
    return str(net)


def ip_or_cidr(value: Any) -> str:
    """An address or a network in CIDR form (as allowed address pairs take them)."""
    if isinstance(value, str) and "/" in value:
        try:
            return str(ipaddress.ip_network(value, strict=False))
        except ValueError:
            pass
    return ip_address(value)


def mac_address(value: Any) -> str:
    """A unicast EUI-48 MAC in lowercase colon form."""
    if not isinstance(value, str) or not MAC.match(value):
        raise Invalid(f"'{value}' is not a valid MAC address")
    mac = value.lower().replace("-", ":")
    if mac == "00:00:00:00:00:00" or int(mac[:2], 16) & 1:
        raise Invalid(f"'{value}' is not a valid MAC address")
    return mac


def list_of(item: Converter, max_len: int | None = None, unique: bool = False) -> Converter:
    """A list whose items each pass `item`."""

    def check(value: Any) -> list:
        if not isinstance(value, list):
            raise Invalid(f"'{value}' is not a list")
        if max_len is not None and len(value) > max_len:
            raise Invalid(f"'{value}' exceeds maximum length of {max_len}")
        items = [item(v) for v in value]
        if unique and len(set(map(str, items))) != len(items):
            raise Invalid(f"Duplicate items in the list: '{', '.join(map(str, value))}'")
        return items

    return check


def dict_of(spec: dict[str, tuple[Converter, bool]], name: str = "") -> Converter:
    """A dict with the keys of `spec` ((converter, required) each) and no others."""

    def check(value: Any) -> dict:
        if not isinstance(value, dict):
            raise Invalid(f"'{value}' is not a dictionary")
        unknown = sorted(set(value) - set(spec))
        if unknown:
            raise Invalid(f"Unexpected keys supplied: {', '.join(unknown)}")
        out = {}
        for key, (convert, required) in spec.items():
            if key in value:
                out[key] = convert(value[key])
            elif required:
                raise Invalid(f"Validation of dictionary's keys failed. Expected keys: {{'{key}'}}")
        return out

    return check


def dict_or_none(value: Any) -> dict | None:
    """Any dict, or None."""
    if value is not None and not isinstance(value, dict):
        raise Invalid(f"'{value}' is not a dictionary")
    return value


def nullable(convert: Converter) -> Converter:
    """None, or what `convert` accepts."""
    return lambda value: None if value is None else convert(value)
