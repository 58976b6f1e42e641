"""The metadef JSON schemas served at /v2/schemas/metadefs/*, and checks of bodies against them."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema

from kilocloud.core.errors import BadRequest
from kilocloud.core.jsonschemas import SchemaChecker, refuse_nul, where

_TYPES = ["array", "boolean", "integer", "number", "object", "string", None]
_NAME = {"type": "string", "minLength": 1, "maxLength": 80}
_SHORT = {"type": "string", "maxLength": 80}


def _stamp(what: str) -> dict:
    return {"type": "string", "readOnly": True, "description": what, "format": "date-time"}


def _read_only() -> dict:
    return {"type": "string", "readOnly": True}


_STAMPS = {
    "created_at": _stamp("Date and time of creation (read-only)"),
    "updated_at": _stamp("Date and time of the last change (read-only)"),
}
DEFINITIONS: dict = {
    "positiveInteger": {"type": "integer", "minimum": 0},
    "positiveIntegerDefault0": {
        "allOf": [{"$ref": "#/definitions/positiveInteger"}, {"default": 0}]
    },
    "stringArray": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
    "property": {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "required": ["title", "type"],
            "properties": {
                "name": _NAME,
                "title": {"type": "string"},
                "description": {"type": "string"},
                "operators": {"type": "array", "items": {"type": "string"}},
                "type": {"type": "string", "enum": _TYPES},
                "required": {"$ref": "#/definitions/stringArray"},
                "minimum": {"type": "number"},
                "maximum": {"type": "number"},
                "maxLength": {"$ref": "#/definitions/positiveInteger"},
                "minLength": {"$ref": "#/definitions/positiveIntegerDefault0"},
                "pattern": {"type": "string", "format": "regex"},
                "enum": {"type": "array"},
                "readonly": {"type": "boolean"},
                "default": {},
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": _TYPES},
                        "enum": {"type": "array"},
                    },
                },
                "maxItems": {"$ref": "#/definitions/positiveInteger"},
                "minItems": {"$ref": "#/definitions/positiveIntegerDefault0"},
                "uniqueItems": {"type": "boolean", "default": False},
                "additionalItems": {"type": "boolean"},
            },
        },
    },
}
_PROPERTIES = {"$ref": "#/definitions/property"}
_REQUIRED = {"$ref": "#/definitions/stringArray"}


def _entity(name: str, properties: dict, required: list[str]) -> dict:
    return {
        "name": name,
        "properties": properties,
        "additionalProperties": False,
        "required": required,
        "definitions": copy.deepcopy(DEFINITIONS),
    }


RESOURCE_TYPE = {
    "name": "resource_type_association",
    "properties": {
        "name": {**_NAME, "description": "Resource type names should be aligned with Heat."},
        "prefix": {**_SHORT, "description": "Prefix of the namespace's property names."},
        "properties_target": {**_SHORT, "description": "Which properties of the resource."},
        **_STAMPS,
    },
    "additionalProperties": False,
    "required": ["name"],
}
TAG = {
    "name": "tag",
    "properties": {"name": _NAME, **_STAMPS},
    "additionalProperties": False,
    "required": ["name"],
}
TAG_LIST = {
    "name": "tags",
    "properties": {
        "tags": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": _NAME},
                "required": ["name"],
                "additionalProperties": False,
            },
        }
    },
    "additionalProperties": False,
    "required": ["tags"],
}
PROPERTY = _entity("property", DEFINITIONS["property"]["additionalProperties"]["properties"], [])
PROPERTY["required"] = ["type", "title", "name"]
OBJECT = _entity(
    "object",
    {
        "name": _NAME,
        "description": {"type": "string"},
        "required": _REQUIRED,
        "properties": _PROPERTIES,
        "schema": _read_only(),
        "self": _read_only(),
        **_STAMPS,
    },
    ["name"],
)
_NESTED_OBJECT = {
    "type": "object",
    "properties": {
        "name": _NAME,
        "description": {"type": "string"},
        "required": _REQUIRED,
        "properties": _PROPERTIES,
    },
    "required": ["name"],
}
_NESTED_ASSOCIATION = {
    "type": "object",
    "properties": {
        k: RESOURCE_TYPE["properties"][k] for k in ("name", "prefix", "properties_target")
    },
    "required": ["name"],
}
_NESTED_NAMED = {"type": "object", "properties": {"name": _NAME}, "required": ["name"]}
NAMESPACE = _entity(
    "namespace",
    {
        "namespace": {**_NAME, "description": "The unique namespace text."},
        "display_name": {**_SHORT, "description": "A name people can read, shown by UIs."},
        "description": {"type": "string", "maxLength": 500},
        "visibility": {"type": "string", "enum": ["public", "private"]},
        "protected": {"type": "boolean", "description": "If true, it cannot be deleted."},
        "owner": {"type": "string", "maxLength": 255},
        **_STAMPS,
        "schema": _read_only(),
        "self": _read_only(),
        "resource_type_associations": {"type": "array", "items": _NESTED_ASSOCIATION},
        "properties": _PROPERTIES,
        "objects": {"type": "array", "items": _NESTED_OBJECT},
        "tags": {"type": "array", "items": _NESTED_NAMED},
    },
    ["namespace"],
)


def collection(name: str, item: dict) -> dict:
    """A list document of `item`s with its first, next and schema links, as Glance shapes it."""
    item = copy.deepcopy(item)
    definitions = item.pop("definitions", None)
    body: dict = {
        "name": name,
        "properties": {
            name: {"type": "array", "items": item},
            "first": {"type": "string"},
            "next": {"type": "string"},
            "schema": {"type": "string"},
        },
        "links": [
            {"rel": "first", "href": "{first}"},
            {"rel": "next", "href": "{next}"},
            {"rel": "describedby", "href": "{schema}"},
        ],
    }
    if definitions:
        body["definitions"] = definitions
    return body


def properties_collection() -> dict:
    """The properties document: a map of name to property, whose items need no name."""
    item = copy.deepcopy(PROPERTY)
    item["required"] = ["type", "title"]
    body = collection("properties", item)
    body["properties"]["properties"] = {"type": "object", "additionalProperties": item}
    return body


SERVED = {
    "namespace": NAMESPACE,
    "namespaces": collection("namespaces", NAMESPACE),
    "object": OBJECT,
    "objects": collection("objects", OBJECT),
    "property": PROPERTY,
    "properties": properties_collection(),
    "tag": TAG,
    "tags": collection("tags", TAG),
    "resource_type": RESOURCE_TYPE,
    "resource_types": collection("resource_type_associations", RESOURCE_TYPE),
}


class Checker:
    """Checks request bodies against one served schema (regex patterns must compile)."""

    def __init__(self, schema: dict) -> None:
        self.name = schema["name"]
        self._checker = SchemaChecker(schema, formats=["regex"])

    def check(self, body: Any) -> dict:
        """`body` when it is an object matching the schema; else 400 saying what is wrong."""
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        self._checker.check(body, self._explain)
        refuse_nul(body)
        return body

    def _explain(self, error: jsonschema.ValidationError) -> str:
        at = where(error)
        suffix = f" (at {at})" if at else ""
        return f"Provided object does not match schema '{self.name}': {error.message}{suffix}"
