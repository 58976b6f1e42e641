"""Payloads of the metadef_* notifications, in the fields Glance's consumers read."""

from __future__ import annotations

from typing import Any

from kilocloud.core.db import utcnow
from kilocloud.image.metadefs.models import (
    MetadefAssociation,
    MetadefNamespace,
    MetadefObject,
    MetadefProperty,
    MetadefTag,
)
from kilocloud.image.service.records import isotime

_SCHEMA_KEYS = (
    "type",
    "title",
    "description",
    "default",
    "minimum",
    "maximum",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "confidential",
    "items",
    "uniqueItems",
    "minItems",
    "maxItems",
    "additionalItems",
)


def _end(deleted: bool) -> dict[str, Any]:
    return {"deleted": deleted, "deleted_at": isotime(utcnow()) if deleted else None}


def _stamps(row: Any) -> dict[str, Any]:
    return {"created_at": isotime(row.created_at), "updated_at": isotime(row.updated_at)}


def namespace(ns: MetadefNamespace, old: str | None = None, deleted: bool = False) -> dict:
    """metadef_namespace.*: the namespace, and its name before a rename."""
    return {
        "namespace": ns.namespace,
        "namespace_old": old or ns.namespace,
        "display_name": ns.display_name,
        "protected": ns.protected,
        "visibility": ns.visibility,
        "owner": ns.owner,
        "description": ns.description,
        **_stamps(ns),
        **_end(deleted),
    }


def _schema_fields(schema: dict) -> dict[str, Any]:
    return {key: schema.get(key) for key in _SCHEMA_KEYS}


def object_(ns: str, obj: MetadefObject, old: str | None = None, deleted: bool = False) -> dict:
    """metadef_object.*: the object with each of its properties spelled out."""
    properties = [
        {"name": name, **_schema_fields(schema)} for name, schema in (obj.properties or {}).items()
    ]
    return {
        "namespace": ns,
        "name": obj.name,
        "name_old": old or obj.name,
        "properties": properties,
        "required": obj.required or [],
        "description": obj.description,
        **_stamps(obj),
        **_end(deleted),
    }


def property_(
    ns: str, prop: MetadefProperty, old: str | None = None, deleted: bool = False
) -> dict:
    """metadef_property.*: the property's schema fields, flattened."""
    return {
        "namespace": ns,
        "name": prop.name,
        "name_old": old or prop.name,
        **_schema_fields(prop.json_schema),
        **_end(deleted),
    }


def tag(ns: str, row: MetadefTag, old: str | None = None, deleted: bool = False) -> dict:
    """metadef_tag.*."""
    return {
        "namespace": ns,
        "name": row.name,
        "name_old": old or row.name,
        **_stamps(row),
        **_end(deleted),
    }


def association(ns: str, name: str, assoc: MetadefAssociation, deleted: bool = False) -> dict:
    """metadef_resource_type.create/delete: a namespace's association with a resource type."""
    return {
        "namespace": ns,
        "name": name,
        "name_old": name,
        "prefix": assoc.prefix,
        "properties_target": assoc.properties_target,
        **_stamps(assoc),
        **_end(deleted),
    }
