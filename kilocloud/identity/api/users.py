"""HTTP face of users: /v3/users[/{user_id}], password changes, a user's groups."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import groups, users


async def list_users(request: Request) -> Response:
    """GET /v3/users."""
    ctx = authenticated(request)
    wanted = filters(request, "name", "domain_id", "enabled")
    found, truncated = await users.listing(layer(request), ctx, wanted)
    items = [views.user(request, u) for u in found]
    return json(views.collection(request, "users", items, truncated))


async def create_user(request: Request) -> Response:
    """POST /v3/users."""
    ctx = authenticated(request)
    ref = await body(request, "user", schemas.USER)
    user = await users.create(layer(request), ctx, ref)
    return json({"user": views.user(request, user)}, 201)


async def show_user(request: Request) -> Response:
    """GET /v3/users/{user_id}."""
    user = await users.get(layer(request), authenticated(request), request.path_params["user_id"])
    return json({"user": views.user(request, user)})


async def update_user(request: Request) -> Response:
    """PATCH /v3/users/{user_id}."""
    ctx = authenticated(request)
    ref = await body(request, "user", schemas.USER_UPDATE)
    user = await users.update(layer(request), ctx, request.path_params["user_id"], ref)
    return json({"user": views.user(request, user)})


async def delete_user(request: Request) -> Response:
    """DELETE /v3/users/{user_id}."""
    ctx = authenticated(request)
    await users.delete_user(layer(request), ctx, request.path_params["user_id"])
    return empty()


async def change_password(request: Request) -> Response:
    """POST /v3/users/{user_id}/password."""
    ctx = authenticated(request)
    ref = await body(request, "user", schemas.CHANGE_PASSWORD)
    await users.change_password(
        layer(request),
        ctx,
        request.path_params["user_id"],
        ref["original_password"],
        ref["password"],
    )
    return empty()


async def list_user_groups(request: Request) -> Response:
    """GET /v3/users/{user_id}/groups."""
    ctx = authenticated(request)
    found = await groups.of_user(layer(request), ctx, request.path_params["user_id"])
    return json(views.collection(request, "groups", [views.group(request, g) for g in found]))
