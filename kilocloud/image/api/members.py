"""HTTP face of image members: /v2/images/{id}/members[/{member_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.image.api import views


async def _field(request: Request, name: str) -> object:
    body = await read_json(request)
    if not isinstance(body, dict) or name not in body:
        raise BadRequest(f"Request body must be a JSON object with a '{name}' member.")
    return body[name]


async def create_member(request: Request) -> Response:
    """POST /v2/images/{image_id}/members: 200 (Glance's code, not 201)."""
    ctx = authenticated(request)
    member_id = await _field(request, "member")
    member = await layer(request).members.add(ctx, request.path_params["image_id"], member_id)
    return json(views.member(member))


async def list_members(request: Request) -> Response:
    """GET /v2/images/{image_id}/members."""
    ctx = authenticated(request)
    members = await layer(request).members.list(ctx, request.path_params["image_id"])
    return json({"members": [views.member(m) for m in members], "schema": "/v2/schemas/members"})


async def show_member(request: Request) -> Response:
    """GET /v2/images/{image_id}/members/{member_id}."""
    ctx = authenticated(request)
    params = request.path_params
    member = await layer(request).members.get(ctx, params["image_id"], params["member_id"])
    return json(views.member(member))


async def update_member(request: Request) -> Response:
    """PUT /v2/images/{image_id}/members/{member_id} with {"status": ...}."""
    ctx = authenticated(request)
    new_status = await _field(request, "status")
    params = request.path_params
    member = await layer(request).members.update(
        ctx, params["image_id"], params["member_id"], new_status
    )
    return json(views.member(member))


async def delete_member(request: Request) -> Response:
    """DELETE /v2/images/{image_id}/members/{member_id}: 204."""
    ctx = authenticated(request)
    params = request.path_params
    await layer(request).members.delete(ctx, params["image_id"], params["member_id"])
    return empty()
