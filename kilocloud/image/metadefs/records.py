"""Metadef rows as the API shows them and as Glance's notifications carry them."""

from __future__ import annotations

from typing import Any

from kilocloud.image.metadefs.models import (
    MetadefAssociation,
    MetadefNamespace,
    MetadefObject,
    MetadefProperty,
    MetadefResourceType,
    MetadefTag,
)
from kilocloud.image.service.records import isotime

_NAMESPACE_FIELDS = ("namespace", "display_name", "description", "visibility", "protected", "owner")


def _stamps(row: Any) -> dict[str, Any]:
    return {"created_at": isotime(row.created_at), "updated_at": isotime(row.updated_at)}


def namespace_dict(ns: MetadefNamespace) -> dict[str, Any]:
    """The namespace's own attributes; unset ones are left out, as Glance leaves them out."""
    body = {k: getattr(ns, k) for k in _NAMESPACE_FIELDS if getattr(ns, k) is not None}
    return {**body, **_stamps(ns)}


def property_dict(prop: MetadefProperty) -> dict[str, Any]:
    """A property: its name and JSON schema."""
    return {"name": prop.name, **prop.json_schema}


def object_dict(obj: MetadefObject) -> dict[str, Any]:
    """An object with its required list and its properties keyed by name."""
    body: dict[str, Any] = {"name": obj.name}
    if obj.description is not None:
        body["description"] = obj.description
    body["required"] = obj.required or []
    body["properties"] = obj.properties or {}
    return {**body, **_stamps(obj)}


def tag_dict(tag: MetadefTag) -> dict[str, Any]:
    """A tag with its timestamps."""
    return {"name": tag.name, **_stamps(tag)}


def resource_type_dict(rtype: MetadefResourceType) -> dict[str, Any]:
    """A resource type in the resource types list."""
    return {"name": rtype.name, **_stamps(rtype)}


def association_dict(assoc: MetadefAssociation, name: str) -> dict[str, Any]:
    """A namespace's association with resource type `name`."""
    body: dict[str, Any] = {"name": name}
    for key in ("prefix", "properties_target"):
        if getattr(assoc, key) is not None:
            body[key] = getattr(assoc, key)
    return {**body, **_stamps(assoc)}
