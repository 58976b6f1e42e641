"""HTTP face of role grants on projects, domains and the system (and OS-INHERIT ones)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity.api import views
from kilocloud.identity.service import grants
from kilocloud.identity.service.grants import Grant


def _grant(request: Request) -> Grant:
    """The grant a path names, from which of its parameters are present."""
    params = request.path_params
    actor = "user" if "user_id" in params else "group"
    target = next((t for t in ("project", "domain") if f"{t}_id" in params), "system")
    return Grant(
        actor_type=actor,
        actor_id=params[f"{actor}_id"],
        target_type=target,
        target_id=params.get(f"{target}_id", "all"),
        inherited=request.url.path.endswith("/inherited_to_projects"),
    )


async def list_grants(request: Request) -> Response:
    """GET .../{users|groups}/{id}/roles."""
    found = await grants.listing(layer(request), authenticated(request), _grant(request))
    return json(views.collection(request, "roles", [views.role(request, r) for r in found]))


async def create_grant(request: Request) -> Response:
    """PUT .../roles/{role_id}."""
    ctx = authenticated(request)
    await grants.create(layer(request), ctx, _grant(request), request.path_params["role_id"])
    return empty()


async def check_grant(request: Request) -> Response:
    """HEAD and GET .../roles/{role_id}."""
    ctx = authenticated(request)
    await grants.check(layer(request), ctx, _grant(request), request.path_params["role_id"])
    return empty()


async def revoke_grant(request: Request) -> Response:
    """DELETE .../roles/{role_id}."""
    ctx = authenticated(request)
    await grants.revoke(layer(request), ctx, _grant(request), request.path_params["role_id"])
    return empty()
