"""Request bodies read as Neutron reads them against a resource's attribute map."""

from __future__ import annotations

from typing import Any

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest
from kilocloud.network.schemas import Attr
from kilocloud.network.validators import Invalid


def unwrap(body: Any, key: str) -> dict[str, Any]:
    """The object under `key` in {key: {...}}; 400 as Neutron says it otherwise."""
    if not isinstance(body, dict) or key not in body:
        raise BadRequest(f"Unable to find '{key}' in request body")
    if not isinstance(body[key], dict):
        raise BadRequest(f"Invalid input for {key}. Reason: Body contains invalid data.")
    return body[key]


def _unknown(data: dict[str, Any], attrs: dict[str, Attr]) -> None:
    extra = sorted(k for k in data if k not in attrs)
    if extra:
        raise BadRequest(f"Unrecognized attribute(s) '{', '.join(extra)}'")


def _convert(name: str, attr: Attr, value: Any) -> Any:
    if attr.convert is None:
        return value
    try:
        return attr.convert(value)
    except Invalid as exc:
        raise BadRequest(f"Invalid input for {name}. Reason: {exc}.") from None


def for_create(ctx: RequestContext, data: dict[str, Any], attrs: dict[str, Attr]) -> dict:
    """The attributes of a new resource: given ones converted, missing ones defaulted."""
    _unknown(data, attrs)
    out: dict[str, Any] = {}
    for name, attr in attrs.items():
        if name in data and not attr.post:
            raise BadRequest(f"Attribute '{name}' not allowed in POST")
        if name in data:
            out[name] = _convert(name, attr, data[name])
        elif attr.required():
            raise BadRequest(f"Failed to parse request. Required attribute '{name}' not specified")
        elif attr.post:
            out[name] = attr.default
    out["project_id"] = _project(ctx, data)
    out.pop("tenant_id", None)
    return out


def given(data: dict[str, Any]) -> dict[str, Any]:
    """The attributes a client sent (tenant_id read as project_id)."""
    return {("project_id" if k == "tenant_id" else k): v for k, v in data.items()}


def _project(ctx: RequestContext, data: dict[str, Any]) -> str:
    project = data.get("project_id", data.get("tenant_id"))
    tenant = data.get("tenant_id", project)
    if project != tenant:
        raise BadRequest("'project_id' and 'tenant_id' do not match")
    if not project:
        if not ctx.project_id:
            raise BadRequest("Running without keystone AuthN requires that tenant_id is specified")
        return ctx.project_id
    if project != ctx.project_id and not ctx.is_admin:
        raise BadRequest(
            "Specifying 'project_id' or 'tenant_id' other than the authenticated project "
            "in request requires admin privileges"
        )
    return project


def for_update(data: dict[str, Any], attrs: dict[str, Attr]) -> dict:
    """The attributes a PUT changes, converted; read-only ones refused."""
    _unknown(data, attrs)
    out = {}
    for name, value in data.items():
        if not attrs[name].put:
            raise BadRequest(f"Cannot update read-only attribute {name}")
        out[name] = _convert(name, attrs[name], value)
    return out
