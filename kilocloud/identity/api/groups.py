"""HTTP face of groups and membership: /v3/groups[/{group_id}[/users[/{user_id}]]]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import groups


async def list_groups(request: Request) -> Response:
    """GET /v3/groups."""
    ctx = authenticated(request)
    found, truncated = await groups.listing(
        layer(request), ctx, filters(request, "name", "domain_id")
    )
    items = [views.group(request, g) for g in found]
    return json(views.collection(request, "groups", items, truncated))


async def create_group(request: Request) -> Response:
    """POST /v3/groups."""
    ctx = authenticated(request)
    ref = await body(request, "group", schemas.GROUP)
    group = await groups.create(layer(request), ctx, ref)
    return json({"group": views.group(request, group)}, 201)


async def show_group(request: Request) -> Response:
    """GET /v3/groups/{group_id}."""
    ctx = authenticated(request)
    group = await groups.get(layer(request), ctx, request.path_params["group_id"])
    return json({"group": views.group(request, group)})


async def update_group(request: Request) -> Response:
    """PATCH /v3/groups/{group_id}."""
    ctx = authenticated(request)
    ref = await body(request, "group", schemas.GROUP_UPDATE)
    group = await groups.update(layer(request), ctx, request.path_params["group_id"], ref)
    return json({"group": views.group(request, group)})


async def delete_group(request: Request) -> Response:
    """DELETE /v3/groups/{group_id}."""
    ctx = authenticated(request)
    await groups.delete_group(layer(request), ctx, request.path_params["group_id"])
    return empty()


async def list_group_users(request: Request) -> Response:
    """GET /v3/groups/{group_id}/users."""
    ctx = authenticated(request)
    found = await groups.members(
        layer(request),
        ctx,
        request.path_params["group_id"],
        filters(request, "name", "enabled"),
    )
    return json(views.collection(request, "users", [views.user(request, u) for u in found]))


def _pair(request: Request) -> tuple[str, str]:
    return request.path_params["group_id"], request.path_params["user_id"]


async def add_group_user(request: Request) -> Response:
    """PUT /v3/groups/{group_id}/users/{user_id}."""
    await groups.add_member(layer(request), authenticated(request), *_pair(request))
    return empty()


async def check_group_user(request: Request) -> Response:
    """HEAD (and GET) /v3/groups/{group_id}/users/{user_id}."""
    await groups.check_member(layer(request), authenticated(request), *_pair(request))
    return empty()


async def remove_group_user(request: Request) -> Response:
    """DELETE /v3/groups/{group_id}/users/{user_id}."""
    await groups.remove_member(layer(request), authenticated(request), *_pair(request))
    return empty()
