"""Request bodies checked against Nova's JSON schemas, refused in Nova's words."""

from __future__ import annotations

from typing import Any

from kilocloud.core.errors import BadRequest
from kilocloud.core.jsonschemas import SchemaChecker

_CHECKERS: dict[int, SchemaChecker] = {}

TRUE = ("1", "t", "true", "on", "y", "yes")
FALSE = ("0", "f", "false", "off", "n", "no")
BOOLEAN = {"type": ["boolean", "string"], "enum": [True, False, *TRUE, *FALSE, "True", "False"]}


def check(schema: dict[str, Any], document: Any) -> Any:
    """`document` when it matches `schema`; 400 naming the field and value otherwise."""
    checker = _CHECKERS.get(id(schema))
    if checker is None:
        checker = _CHECKERS[id(schema)] = SchemaChecker(schema)
    error = checker.error(document)
    if error is None:
        return document
    if error.path:
        raise BadRequest(
            f"Invalid input for field/attribute {error.path[-1]}. Value: {error.instance}. "
            f"{error.message}"
        )
    raise BadRequest(error.message)


def boolean(value: Any) -> bool:
    """A boolean from Nova's accepted spellings (True/'true'/'1'/'on'...)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise BadRequest(
        f"Unrecognized value '{value}', acceptable values are: {', '.join(TRUE + FALSE)}"
    )


def body_of(document: Any, key: str) -> dict[str, Any]:
    """The object under `key` of a request body; 400 as Nova's schemas say otherwise."""
    if not isinstance(document, dict) or key not in document:
        raise BadRequest(f"'{key}' is a required property")
    value = document[key]
    if not isinstance(value, dict):
        raise BadRequest(
            f"Invalid input for field/attribute {key}. Value: {value}. {value!r} is not of type "
            "'object'"
        )
    return value
