"""HTTP face of OS-TRUST: /v3/OS-TRUST/trusts[/{trust_id}[/roles[/{role_id}]]]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import NotFound
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import trusts


async def create_trust(request: Request) -> Response:
    """POST /v3/OS-TRUST/trusts."""
    ctx = authenticated(request)
    ref = await body(request, "trust", schemas.TRUST)
    trust = await trusts.create(layer(request), ctx, ref)
    return json({"trust": views.trust(request, trust)}, 201)


async def list_trusts(request: Request) -> Response:
    """GET /v3/OS-TRUST/trusts."""
    ctx = authenticated(request)
    wanted = filters(request, "trustor_user_id", "trustee_user_id")
    found = await trusts.listing(layer(request), ctx, wanted)
    return json(views.collection(request, "trusts", [views.trust(request, t) for t in found]))


async def show_trust(request: Request) -> Response:
    """GET /v3/OS-TRUST/trusts/{trust_id}."""
    trust = await trusts.get(
        layer(request), authenticated(request), request.path_params["trust_id"]
    )
    return json({"trust": views.trust(request, trust)})


async def delete_trust(request: Request) -> Response:
    """DELETE /v3/OS-TRUST/trusts/{trust_id}."""
    ctx = authenticated(request)
    await trusts.delete_trust(layer(request), ctx, request.path_params["trust_id"])
    return empty()


async def list_trust_roles(request: Request) -> Response:
    """GET /v3/OS-TRUST/trusts/{trust_id}/roles."""
    ctx = authenticated(request)
    trust = await trusts.get(
        layer(request), ctx, request.path_params["trust_id"], "list_roles_for_trust"
    )
    return json(views.collection(request, "roles", trust.roles))


async def show_trust_role(request: Request) -> Response:
    """GET and HEAD /v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}."""
    ctx = authenticated(request)
    trust = await trusts.get(
        layer(request), ctx, request.path_params["trust_id"], "get_role_for_trust"
    )
    role_id = request.path_params["role_id"]
    role = next((r for r in trust.roles if r["id"] == role_id), None)
    if role is None:
        raise NotFound(f"Could not find role: {role_id}.")
    return json({"role": role})
