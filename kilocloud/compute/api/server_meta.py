"""HTTP face of a server's metadata, tags, addresses and instance actions."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import body, require, root, service, since
from kilocloud.compute.models import InstanceAction, InstanceActionEvent
from kilocloud.compute.validation import check
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.core.http import empty, json


def _ids(request: Request) -> tuple[Any, str]:
    return authenticated(request), request.path_params["server_id"]


async def list_metadata(request: Request) -> Response:
    """GET /servers/{id}/metadata."""
    ctx, uuid = _ids(request)
    return json({"metadata": await service(request).meta.metadata(ctx, uuid)})


async def _set(request: Request, replace: bool, rule: str) -> Response:
    ctx, uuid = _ids(request)
    items = check(schemas.METADATA_BODY, await body(request))["metadata"]
    found = await service(request).meta.set_metadata(ctx, uuid, items, replace, rule)
    return json({"metadata": found})


async def create_metadata(request: Request) -> Response:
    """POST /servers/{id}/metadata: merge."""
    return await _set(request, False, "server-metadata:create")


async def replace_metadata(request: Request) -> Response:
    """PUT /servers/{id}/metadata: replace."""
    return await _set(request, True, "server-metadata:update_all")


async def show_metadata_item(request: Request) -> Response:
    """GET /servers/{id}/metadata/{key}."""
    ctx, uuid = _ids(request)
    key = request.path_params["key"]
    meta = await service(request).meta.metadata(ctx, uuid)
    if key not in meta:
        raise NotFound("Metadata item was not found")
    return json({"meta": {key: meta[key]}})


async def update_metadata_item(request: Request) -> Response:
    """PUT /servers/{id}/metadata/{key}: {"meta": {key: value}}."""
    ctx, uuid = _ids(request)
    item = check(schemas.META_ITEM, await body(request))["meta"]
    if request.path_params["key"] not in item:
        raise BadRequest("Request body and URI mismatch")
    await service(request).meta.set_metadata(ctx, uuid, item, False, "server-metadata:update")
    return json({"meta": item})


async def delete_metadata_item(request: Request) -> Response:
    """DELETE /servers/{id}/metadata/{key}: 204."""
    ctx, uuid = _ids(request)
    await service(request).meta.delete_metadata(ctx, uuid, request.path_params["key"])
    return empty(204)


async def list_tags(request: Request) -> Response:
    """GET /servers/{id}/tags (2.26)."""
    require(request, 26)
    ctx, uuid = _ids(request)
    return json({"tags": await service(request).meta.tags(ctx, uuid)})


async def replace_tags(request: Request) -> Response:
    """PUT /servers/{id}/tags (2.26)."""
    require(request, 26)
    ctx, uuid = _ids(request)
    tags = check(schemas.TAGS_BODY, await body(request))["tags"]
    return json({"tags": await service(request).meta.replace_tags(ctx, uuid, tags)})


async def delete_tags(request: Request) -> Response:
    """DELETE /servers/{id}/tags (2.26): 204."""
    require(request, 26)
    ctx, uuid = _ids(request)
    await service(request).meta.delete_tags(ctx, uuid, None)
    return empty(204)


async def check_tag(request: Request) -> Response:
    """GET /servers/{id}/tags/{tag} (2.26): 204 when set, 404 when not."""
    require(request, 26)
    ctx, uuid = _ids(request)
    tag = request.path_params["tag"]
    if tag not in await service(request).meta.tags(ctx, uuid):
        raise NotFound(f"Tag {tag} could not be found.")
    return empty(204)


async def add_tag(request: Request) -> Response:
    """PUT /servers/{id}/tags/{tag} (2.26): 201 when new, 204 when already set."""
    require(request, 26)
    ctx, uuid = _ids(request)
    tag = request.path_params["tag"]
    if check(schemas.TAG, tag) and await service(request).meta.add_tag(ctx, uuid, tag):
        return empty(201, {"Location": f"{root(request)}/v2.1/servers/{uuid}/tags/{tag}"})
    return empty(204)


async def delete_tag(request: Request) -> Response:
    """DELETE /servers/{id}/tags/{tag} (2.26): 204."""
    require(request, 26)
    ctx, uuid = _ids(request)
    await service(request).meta.delete_tags(ctx, uuid, request.path_params["tag"])
    return empty(204)


async def list_ips(request: Request) -> Response:
    """GET /servers/{id}/ips."""
    ctx, uuid = _ids(request)
    row = await service(request).servers.get(ctx, uuid, "show")
    service(request).deps.enforce(ctx, "ips:index", {"project_id": row.project_id})
    return json({"addresses": dict(row.addresses or {})})


async def show_ips(request: Request) -> Response:
    """GET /servers/{id}/ips/{network_label}."""
    ctx, uuid = _ids(request)
    row = await service(request).servers.get(ctx, uuid, "show")
    service(request).deps.enforce(ctx, "ips:show", {"project_id": row.project_id})
    label = request.path_params["network_label"]
    if label not in (row.addresses or {}):
        raise NotFound("Instance is not a member of specified network")
    return json({label: row.addresses[label]})


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def action_view(request: Request, row: InstanceAction) -> dict[str, Any]:
    """An instance action as the request's version shows it."""
    out = {
        "action": row.action,
        "instance_uuid": row.instance_uuid,
        "message": row.message,
        "project_id": row.project_id,
        "request_id": row.request_id,
        "start_time": _time(row.start_time),
        "user_id": row.user_id,
    }
    if since(request, 58):
        out["updated_at"] = _time(row.updated_at)
    return out


def event_view(
    request: Request, row: InstanceActionEvent, ctx: Any, project: str
) -> dict[str, Any]:
    """One event; traceback, host and details for those the policy lets see them."""
    out: dict[str, Any] = {
        "event": row.event,
        "start_time": _time(row.start_time),
        "finish_time": _time(row.finish_time),
        "result": row.result,
    }
    deps = service(request).deps
    if deps.allowed(ctx, "os-instance-actions:events"):
        out["traceback"] = row.traceback
    if since(request, 62):
        out["hostId"] = (
            hashlib.sha224((project + (row.host or "")).encode()).hexdigest() if row.host else ""
        )
        if deps.allowed(ctx, "os-instance-actions:events"):
            out["host"] = row.host or ""
    if since(request, 84) and deps.allowed(ctx, "os-instance-actions:events:details"):
        out["details"] = row.details
    return out


async def list_instance_actions(request: Request) -> Response:
    """GET /servers/{id}/os-instance-actions."""
    ctx, uuid = _ids(request)
    rows = await service(request).meta.actions(ctx, uuid)
    return json({"instanceActions": [action_view(request, r) for r in rows]})


async def show_instance_action(request: Request) -> Response:
    """GET /servers/{id}/os-instance-actions/{request_id}."""
    ctx, uuid = _ids(request)
    action, events = await service(request).meta.action(
        ctx, uuid, request.path_params["request_id"]
    )
    out = action_view(request, action)
    deps = service(request).deps
    if since(request, 51) or deps.allowed(ctx, "os-instance-actions:events"):
        out["events"] = [event_view(request, e, ctx, action.project_id or "") for e in events]
    return json({"instanceAction": out})
