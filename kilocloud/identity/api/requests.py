"""Reading identity requests: JSON bodies checked against a schema, flags and list filters."""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError
from starlette.requests import Request

from kilocloud.core.errors import BadRequest
from kilocloud.core.http import read_json
from kilocloud.core.jsonschemas import SchemaChecker


def check(value: Any, schema: SchemaChecker, key: str) -> dict[str, Any]:
    """`value` if it matches `schema`; 400 naming the offending field otherwise."""

    def explain(error: ValidationError) -> str:
        field = ".".join([key, *(str(p) for p in error.absolute_path)])
        return f"Invalid input for field '{field}': {error.message}"

    return schema.check(value, explain)


async def body(request: Request, key: str, schema: SchemaChecker) -> dict[str, Any]:
    """The object under `key` in the JSON body, validated against `schema`."""
    document = await read_json(request)
    if not isinstance(document, dict) or key not in document:
        raise BadRequest(f"Invalid input for field '{key}': '{key}' is a required property")
    return check(document[key], schema, key)


def flag(request: Request, name: str) -> bool:
    """A query flag as Keystone reads it: present and not '0'/'false' is true."""
    value = request.query_params.get(name)
    return value is not None and value.lower() not in ("0", "false", "no")


def filters(request: Request, *names: str) -> dict[str, Any]:
    """The query parameters among `names`; `enabled` and `is_domain` become booleans."""
    found: dict[str, Any] = {}
    for name in names:
        if name in request.query_params:
            value = request.query_params[name]
            if name in ("enabled", "is_domain"):
                found[name] = value.lower() not in ("0", "false", "no")
            else:
                found[name] = value
    return found
