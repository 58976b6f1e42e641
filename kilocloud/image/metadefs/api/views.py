"""Metadef documents as the API serializes them, with their self and schema links."""

from __future__ import annotations

from typing import Any

from kilocloud.core import pagination
from kilocloud.image.metadefs import records
from kilocloud.image.metadefs.models import MetadefObject, MetadefProperty, MetadefTag
from kilocloud.image.metadefs.service.namespaces import NamespaceDetail

ROOT = "/v2/metadefs/namespaces"
SCHEMAS = "/v2/schemas/metadefs"


def namespace(detail: NamespaceDetail, resource_type: str | None = None) -> dict[str, Any]:
    """A namespace with what it holds; with `resource_type`, property names get its prefix."""
    ns = detail.ns
    body = records.namespace_dict(ns)
    body["self"] = f"{ROOT}/{ns.namespace}"
    body["schema"] = f"{SCHEMAS}/namespace"
    if detail.associations:
        body["resource_type_associations"] = [
            records.association_dict(a, name) for a, name in detail.associations
        ]
    prefix = next((a.prefix for a, n in detail.associations if n == resource_type), None) or ""
    if detail.properties:
        body["properties"] = properties(detail.properties, prefix)
    if detail.objects:
        body["objects"] = [object_(ns.namespace, o, prefix) for o in detail.objects]
    if detail.tags:
        body["tags"] = [{"name": t.name} for t in detail.tags]
    return body


def namespaces_page(
    found: list[NamespaceDetail], next_marker: str | None, params: dict[str, str]
) -> dict[str, Any]:
    """A page of namespaces with its first, next and schema links."""
    return {
        "namespaces": [namespace(d) for d in found],
        **pagination.first_and_next(ROOT, params.items(), next_marker),
        "schema": f"{SCHEMAS}/namespaces",
    }


def object_(ns_name: str, obj: MetadefObject, prefix: str = "") -> dict[str, Any]:
    """An object with its self and schema links."""
    body = records.object_dict(obj)
    if prefix:
        body["properties"] = {prefix + k: v for k, v in body["properties"].items()}
        body["required"] = [prefix + name for name in body["required"]]
    body["self"] = f"{ROOT}/{ns_name}/objects/{obj.name}"
    body["schema"] = f"{SCHEMAS}/object"
    return body


def properties(found: list[MetadefProperty], prefix: str = "") -> dict[str, Any]:
    """Properties keyed by (prefixed) name, each without its name, as Glance lists them."""
    return {prefix + p.name: dict(p.json_schema) for p in found}


def property_(prop: MetadefProperty) -> dict[str, Any]:
    """One property, named."""
    return records.property_dict(prop)


def tag(row: MetadefTag) -> dict[str, Any]:
    """One tag with its timestamps."""
    return records.tag_dict(row)
