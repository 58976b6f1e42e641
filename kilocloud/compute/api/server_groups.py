"""HTTP face of server groups."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import body, limit, service, since, version
from kilocloud.compute.models import ServerGroup
from kilocloud.compute.service.server_groups import members
from kilocloud.compute.validation import boolean, check
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json


async def view(request: Request, row: ServerGroup) -> dict[str, Any]:
    """A server group as the request's version shows it."""
    out: dict[str, Any] = {
        "id": row.uuid,
        "name": row.name,
        "members": await members(service(request).deps.db, row.id),
    }
    if since(request, 64):
        out["policy"] = row.policy
        out["rules"] = row.rules or {}
    else:
        out["policies"] = [row.policy]
        out["metadata"] = {}
    if since(request, 13):
        out["project_id"] = row.project_id
        out["user_id"] = row.user_id
    return out


async def create_server_group(request: Request) -> Response:
    """POST /os-server-groups: 200 with the group."""
    ctx = authenticated(request)
    group = check(schemas.server_group_create(version(request)), await body(request))[
        "server_group"
    ]
    policy = group["policy"] if since(request, 64) else group["policies"][0]
    row = await service(request).server_groups.create(
        ctx, group["name"], policy, group.get("rules") or {}
    )
    return json({"server_group": await view(request, row)})


async def list_server_groups(request: Request) -> Response:
    """GET /os-server-groups[?all_projects&limit&offset]."""
    ctx = authenticated(request)
    all_projects = boolean(request.query_params.get("all_projects", "false") or "true")
    raw_offset = request.query_params.get("offset", "0")
    if not raw_offset.isdigit():
        raise BadRequest(f"Invalid input for query parameters offset. Value: {raw_offset}.")
    rows = await service(request).server_groups.list(
        ctx, all_projects, limit(request), int(raw_offset)
    )
    return json({"server_groups": [await view(request, r) for r in rows]})


async def show_server_group(request: Request) -> Response:
    """GET /os-server-groups/{group_id}."""
    ctx = authenticated(request)
    row = await service(request).server_groups.get(ctx, request.path_params["group_id"])
    return json({"server_group": await view(request, row)})


async def delete_server_group(request: Request) -> Response:
    """DELETE /os-server-groups/{group_id}: 204."""
    ctx = authenticated(request)
    await service(request).server_groups.delete(ctx, request.path_params["group_id"])
    return empty(204)
