"""HTTP face of roles and implied roles: /v3/roles..., /v3/role_inferences."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, service_root
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.models import Role
from kilocloud.identity.service import implied_roles, roles


async def list_roles(request: Request) -> Response:
    """GET /v3/roles."""
    ctx = authenticated(request)
    found, truncated = await roles.listing(
        layer(request), ctx, filters(request, "name", "domain_id")
    )
    items = [views.role(request, r) for r in found]
    return json(views.collection(request, "roles", items, truncated))


async def create_role(request: Request) -> Response:
    """POST /v3/roles."""
    ctx = authenticated(request)
    ref = await body(request, "role", schemas.ROLE)
    role = await roles.create(layer(request), ctx, ref)
    return json({"role": views.role(request, role)}, 201)


async def show_role(request: Request) -> Response:
    """GET /v3/roles/{role_id}."""
    role = await roles.get(layer(request), authenticated(request), request.path_params["role_id"])
    return json({"role": views.role(request, role)})


async def update_role(request: Request) -> Response:
    """PATCH /v3/roles/{role_id}."""
    ctx = authenticated(request)
    ref = await body(request, "role", schemas.ROLE_UPDATE)
    role = await roles.update(layer(request), ctx, request.path_params["role_id"], ref)
    return json({"role": views.role(request, role)})


async def delete_role(request: Request) -> Response:
    """DELETE /v3/roles/{role_id}."""
    ctx = authenticated(request)
    await roles.delete_role(layer(request), ctx, request.path_params["role_id"])
    return empty()


def _rule_ids(request: Request) -> tuple[str, str]:
    return request.path_params["prior_role_id"], request.path_params["implied_role_id"]


def _inference(request: Request, prior: Role, implied: Role | list[Role]) -> dict:
    shown = (
        [views.role_ref(request, r) for r in implied]
        if isinstance(implied, list)
        else views.role_ref(request, implied)
    )
    return {"prior_role": views.role_ref(request, prior), "implies": shown}


def _rule_body(request: Request, prior: Role, implied: Role | list[Role]) -> dict:
    return {
        "role_inference": _inference(request, prior, implied),
        "links": {"self": str(request.url)},
    }


async def create_implied_role(request: Request) -> Response:
    """PUT /v3/roles/{prior_role_id}/implies/{implied_role_id}."""
    ctx = authenticated(request)
    prior, implied = await implied_roles.create(layer(request), ctx, *_rule_ids(request))
    return json(_rule_body(request, prior, implied), 201)


async def show_implied_role(request: Request) -> Response:
    """GET /v3/roles/{prior_role_id}/implies/{implied_role_id}."""
    ctx = authenticated(request)
    prior, implied = await implied_roles.get(layer(request), ctx, *_rule_ids(request))
    return json(_rule_body(request, prior, implied))


async def check_implied_role(request: Request) -> Response:
    """HEAD /v3/roles/{prior_role_id}/implies/{implied_role_id}."""
    await implied_roles.get(layer(request), authenticated(request), *_rule_ids(request))
    return empty()


async def delete_implied_role(request: Request) -> Response:
    """DELETE /v3/roles/{prior_role_id}/implies/{implied_role_id}."""
    await implied_roles.delete_rule(layer(request), authenticated(request), *_rule_ids(request))
    return empty()


async def list_implied_roles(request: Request) -> Response:
    """GET /v3/roles/{prior_role_id}/implies."""
    ctx = authenticated(request)
    prior, implied = await implied_roles.of_role(
        layer(request), ctx, request.path_params["prior_role_id"]
    )
    return json(_rule_body(request, prior, implied))


async def list_role_inferences(request: Request) -> Response:
    """GET /v3/role_inferences."""
    rules = await implied_roles.inferences(layer(request), authenticated(request))
    items = [_inference(request, prior, implied) for prior, implied in rules]
    return json(
        {"role_inferences": items, "links": {"self": f"{service_root(request)}/v3/role_inferences"}}
    )
