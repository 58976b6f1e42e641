"""Image updates as JSON patch: both Glance media types, normalized and applied to a dict."""

from __future__ import annotations

import re
from typing import Any

from kilocloud.core.errors import BadRequest, Conflict, Forbidden
from kilocloud.image.schemas import READ_ONLY, RESERVED
from kilocloud.image.service.records import WRITABLE_CORE

PATCH_V21 = "application/openstack-images-v2.1-json-patch"
PATCH_V20 = "application/openstack-images-v2.0-json-patch"
MEDIA_TYPES = (PATCH_V21, PATCH_V20)
OPS = ("add", "replace", "remove")
CORE_NAMES = WRITABLE_CORE | {"tags"}
BAD_ESCAPE = re.compile(r"~(?![01])")


def normalize(body: Any, media_type: str) -> list[dict[str, Any]]:
    """Changes as [{op, path, value}] with one-level paths; 400 when malformed."""
    if not isinstance(body, list):
        raise BadRequest("Request body must be a JSON array of operation objects.")
    return [_change(raw, media_type) for raw in body]


def _change(raw: Any, media_type: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadRequest("Operations must be JSON objects.")
    if media_type == PATCH_V20:
        ops = [op for op in OPS if op in raw]
        if len(ops) != 1:
            raise BadRequest("Operation objects must contain exactly one of add, remove, replace.")
        op, path = ops[0], raw[ops[0]]
    else:
        op, path = raw.get("op"), raw.get("path")
        if op not in OPS:
            raise BadRequest(f"Invalid operation: {op!r}. Use add, remove or replace.")
    if op != "remove" and "value" not in raw:
        raise BadRequest(f"Operation '{op}' requires a 'value' member.")
    change = {"op": op, "path": _attribute(path), "strict_add": media_type == PATCH_V20}
    if op != "remove":
        change["value"] = raw["value"]
    return change


def _attribute(path: Any) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise BadRequest(f"Invalid JSON pointer for this resource: '{path}'")
    if BAD_ESCAPE.search(path):
        raise BadRequest(f"JSON pointer '{path}' has a '~' that is not ~0 or ~1.")
    parts = path[1:].split("/")
    if len(parts) != 1:
        raise BadRequest("Nested paths are not allowed")
    # Glance trims each pointer token, so "/ name" patches name
    name = parts[0].replace("~1", "/").replace("~0", "~").strip()
    if not name:
        raise BadRequest(f"JSON pointer '{path}' names no attribute.")
    check_writable(name)
    return name


def check_writable(name: str) -> None:
    """403 unless clients may set the attribute `name`."""
    if name in READ_ONLY:
        raise Forbidden(f"Attribute '{name}' is read-only.")
    if name in RESERVED:
        raise Forbidden(f"Attribute '{name}' is reserved.")
    if name.startswith("os_glance"):
        raise Forbidden(f"Attribute '{name}' is reserved: the os_glance prefix is for the service.")


def apply(entity: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of `entity` with `changes` applied, as Glance applies them."""
    result = dict(entity)
    for change in changes:
        name, op = change["path"], change["op"]
        present = name in CORE_NAMES or name in result
        if op == "remove":
            if name in CORE_NAMES:
                raise Forbidden(f"Property {name} may not be removed.")
            if name not in result:
                raise Conflict(f"Property {name} does not exist.")
            del result[name]
        elif op == "replace" and name not in CORE_NAMES and name not in result:
            raise Conflict(f"Property {name} does not exist.")
        elif op == "add" and change["strict_add"] and present:
            raise Conflict(f"Property {name} already present.")
        else:
            result[name] = change["value"]
    return result
