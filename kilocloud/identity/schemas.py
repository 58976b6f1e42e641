"""JSON schemas of identity request bodies (the part inside the entity's wrapper key)."""

from __future__ import annotations

from typing import Any

from kilocloud.core.jsonschemas import SchemaChecker


def _string(max_length: int = 255, min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _entity(
    properties: dict[str, Any], required: tuple[str, ...] = (), extra: bool = True
) -> SchemaChecker:
    return SchemaChecker(
        {
            "type": "object",
            "properties": properties,
            "required": list(required),
            "additionalProperties": extra,
        }
    )


def _update(create: SchemaChecker, *fixed: str) -> SchemaChecker:
    """The update schema of an entity: nothing required, at least one field, `fixed` frozen."""
    properties = {k: v for k, v in create.schema["properties"].items() if k not in fixed}
    return SchemaChecker(
        {**create.schema, "properties": properties, "required": [], "minProperties": 1}
    )


ID = _string(64)
NAME = _string(64)
DESCRIPTION = _nullable({"type": "string"})
ENABLED = {"type": "boolean"}
BOOLEAN = {"type": "boolean"}
TAG = {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[^,/]*$"}
TAGS = {"type": "array", "items": TAG, "maxItems": 80, "uniqueItems": True}
OPTIONS = {"type": "object"}
DATETIME = _nullable({"type": "string", "minLength": 1, "maxLength": 64})
ROLE_REFS = _nullable(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"id": ID, "name": _string(255)},
            "minProperties": 1,
        },
    }
)

DOMAIN = _entity(
    {
        "id": ID,
        "name": NAME,
        "description": DESCRIPTION,
        "enabled": ENABLED,
        "tags": TAGS,
        "options": OPTIONS,
    },
    ("name",),
)
DOMAIN_UPDATE = _update(DOMAIN, "id")

PROJECT = _entity(
    {
        "name": NAME,
        "domain_id": _nullable(ID),
        "parent_id": _nullable(ID),
        "description": DESCRIPTION,
        "enabled": ENABLED,
        "is_domain": BOOLEAN,
        "tags": TAGS,
        "options": OPTIONS,
    },
    ("name",),
)
PROJECT_UPDATE = _update(PROJECT, "is_domain")
PROJECT_TAGS = _entity({"tags": TAGS}, ("tags",), extra=False)

PASSWORD = _nullable({"type": "string", "maxLength": 4096})
USER = _entity(
    {
        "name": _string(255),
        "domain_id": ID,
        "default_project_id": _nullable(ID),
        "description": DESCRIPTION,
        "enabled": ENABLED,
        "password": PASSWORD,
        "options": OPTIONS,
    },
    ("name",),
)
USER_UPDATE = _update(USER)
CHANGE_PASSWORD = _entity(
    {"password": {"type": "string", "maxLength": 4096}, "original_password": {"type": "string"}},
    ("password", "original_password"),
    extra=False,
)

GROUP = _entity({"name": NAME, "domain_id": ID, "description": DESCRIPTION}, ("name",))
GROUP_UPDATE = _update(GROUP, "domain_id")

ROLE = _entity(
    {
        "name": _string(255),
        "domain_id": _nullable(ID),
        "description": DESCRIPTION,
        "options": OPTIONS,
    },
    ("name",),
    extra=False,
)
ROLE_UPDATE = _update(ROLE, "domain_id")

REGION = _entity(
    {"id": _string(255), "description": DESCRIPTION, "parent_region_id": _nullable(_string(255))}
)
REGION_UPDATE = _update(REGION, "id")

SERVICE = _entity(
    {"type": _string(255), "name": _string(255, 0), "description": DESCRIPTION, "enabled": ENABLED},
    ("type",),
)
SERVICE_UPDATE = _update(SERVICE)

ENDPOINT = _entity(
    {
        "service_id": ID,
        "interface": {"type": "string", "enum": ["public", "internal", "admin"]},
        "url": {
            "type": "string",
            "minLength": 1,
            "maxLength": 1024,
            "pattern": "^[a-zA-Z0-9+.-]+:.+",
        },
        "region_id": _nullable(_string(255)),
        "region": _nullable(_string(255)),
        "enabled": ENABLED,
    },
    ("service_id", "interface", "url"),
)
ENDPOINT_UPDATE = _update(ENDPOINT)

APPLICATION_CREDENTIAL = _entity(
    {
        "name": _string(255),
        "description": DESCRIPTION,
        "secret": _nullable(_string(4096)),
        "expires_at": DATETIME,
        "roles": ROLE_REFS,
        "unrestricted": _nullable(BOOLEAN),
        "access_rules": _nullable({"type": "array", "maxItems": 0}),
    },
    ("name",),
    extra=False,
)

TRUST = _entity(
    {
        "trustor_user_id": ID,
        "trustee_user_id": ID,
        "project_id": _nullable(ID),
        "impersonation": BOOLEAN,
        "roles": ROLE_REFS,
        "expires_at": DATETIME,
        "remaining_uses": _nullable({"type": "integer", "minimum": 1}),
        "allow_redelegation": _nullable(BOOLEAN),
        "redelegation_count": _nullable({"type": "integer", "minimum": 0}),
    },
    ("trustor_user_id", "trustee_user_id", "impersonation"),
)
