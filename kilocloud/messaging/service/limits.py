"""Zaqar's validation rules: names, TTLs, delays, limits and reserved queue attributes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from kilocloud.messaging.errors import InvalidBody, InvalidRequest, MissingHeader

NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
RESOURCE_ID = re.compile(r"^[0-9a-f]{32}$")
MIN_TTL = 60


def queue_name(name: str, kind: str = "Queue") -> str:
    """`name` if it is a valid queue (or topic) name."""
    if len(name) > 64:
        raise InvalidRequest(f"{kind} names may not be more than 64 characters long.")
    if not NAME.match(name):
        raise InvalidRequest(
            f"{kind} names may only contain ASCII letters, digits, underscores, and dashes."
        )
    return name


def resource_id(value: str | None) -> bool:
    """Whether `value` has the form of a message, claim or subscription id."""
    return value is not None and RESOURCE_ID.match(value) is not None


def marker(value: str | None, check: Callable[[str], object]) -> str | None:
    """A listing marker that passes `check` (a name or id rule), or None."""
    if value:
        check(value)
    return value or None


def client_id(value: str | None, opts: Any) -> str:
    """The Client-ID header value, checked as the transport options say."""
    if not value:
        raise MissingHeader("The Client-ID header is required.")
    if opts.client_id_uuid_safe == "strict":
        try:
            uuid.UUID(value)
        except ValueError:
            raise InvalidRequest("Malformed hexadecimal UUID.") from None
        return value
    if not opts.min_length_client_id <= len(value) <= opts.max_length_client_id:
        raise InvalidRequest(
            f"Client ID length must be between {opts.min_length_client_id} and "
            f"{opts.max_length_client_id} characters."
        )
    return value


def integer(value: Any, what: str, low: int, high: int) -> int:
    """`value` as an int within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.isascii() and value.lstrip("-").isdigit():
            value = int(value)
        else:
            raise InvalidRequest(f"The value of {what} must be an integer.")
    if not low <= value <= high:
        raise InvalidRequest(f"The value of {what} must be between {low} and {high}.")
    return value


def field(value: Any, what: str, low: int, high: int) -> int:
    """A JSON body field as an int within [low, high]; a string of digits is refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidBody(f'The "{what}" field must be an integer.')
    return integer(value, what, low, high)


def message_ttl(value: Any, opts: Any) -> int:
    """A message TTL within Zaqar's bounds."""
    return field(value, "ttl", MIN_TTL, opts.max_message_ttl)


def message_delay(value: Any, opts: Any) -> int:
    """A message delay within Zaqar's bounds."""
    return field(value, "delay", 0, opts.max_message_delay)


def claim_ttl(value: Any, opts: Any) -> int:
    """A claim TTL within Zaqar's bounds."""
    return field(value, "ttl", MIN_TTL, opts.max_claim_ttl)


def claim_grace(value: Any, opts: Any) -> int:
    """A claim grace within Zaqar's bounds."""
    return field(value, "grace", MIN_TTL, opts.max_claim_grace)


def page_limit(value: Any, high: int) -> int:
    """A listing or claim `limit` in [1, high]."""
    return integer(value, "limit", 1, high)


def queue_metadata(meta: Any, opts: Any, size: int) -> dict[str, Any]:
    """Queue metadata whose reserved attributes hold allowed values."""
    if not isinstance(meta, dict):
        raise InvalidRequest("Queue metadata must be an object.")
    if size > opts.max_queue_metadata:
        raise InvalidRequest(f"Queue metadata is too large. Max size: {opts.max_queue_metadata}")
    checks = {
        "_max_messages_post_size": lambda v: field(
            v, "_max_messages_post_size", 1, opts.max_messages_post_size
        ),
        "_default_message_ttl": lambda v: message_ttl(v, opts),
        "_default_message_delay": lambda v: message_delay(v, opts),
        "_max_claim_count": lambda v: field(v, "_max_claim_count", 0, 2**31),
        "_dead_letter_queue_messages_ttl": lambda v: message_ttl(v, opts),
        "_dead_letter_queue": lambda v: queue_name(str(v)),
    }
    for key, check in checks.items():
        if key in meta and meta[key] is not None:
            check(meta[key])
    return meta
