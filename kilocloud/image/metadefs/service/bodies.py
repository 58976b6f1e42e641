"""Checks on metadef request bodies that the JSON schemas cannot express."""

from __future__ import annotations

from typing import Any

from kilocloud.core.errors import BadRequest, Forbidden

MAX_TEXT_BYTES = 65535  # a TEXT column on MariaDB


def writable(body: Any, read_only: tuple[str, ...]) -> Any:
    """`body`, unless it sets a read-only attribute (403, as Glance answers)."""
    if isinstance(body, dict):
        for key in read_only:
            if key in body:
                raise Forbidden(f"Attribute '{key}' is read-only.")
    return body


def property_names(properties: dict[str, Any] | None) -> dict[str, Any]:
    """`properties` (a map of name to definition) once every name fits its column."""
    for name in properties or {}:
        if not 0 < len(name) <= 80:
            raise BadRequest(f"Property names are 1 to 80 characters long: {name[:32]!r}.")
    return properties or {}


def text(value: str | None, what: str) -> str | None:
    """`value`, if it fits a TEXT column."""
    if value is not None and len(value.encode()) > MAX_TEXT_BYTES:
        raise BadRequest(f"The {what} is longer than {MAX_TEXT_BYTES} bytes.")
    return value
