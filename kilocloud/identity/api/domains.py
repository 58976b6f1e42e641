"""HTTP face of domains: /v3/domains[/{domain_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import domains


async def list_domains(request: Request) -> Response:
    """GET /v3/domains."""
    found = await domains.listing(
        layer(request), authenticated(request), filters(request, "name", "enabled")
    )
    return json(views.collection(request, "domains", [views.domain(request, d) for d in found]))


async def create_domain(request: Request) -> Response:
    """POST /v3/domains."""
    ctx = authenticated(request)
    ref = await body(request, "domain", schemas.DOMAIN)
    domain = await domains.create(layer(request), ctx, ref)
    return json({"domain": views.domain(request, domain)}, 201)


async def show_domain(request: Request) -> Response:
    """GET /v3/domains/{domain_id}."""
    domain_id = request.path_params["domain_id"]
    domain = await domains.get(layer(request), authenticated(request), domain_id)
    return json({"domain": views.domain(request, domain)})


async def update_domain(request: Request) -> Response:
    """PATCH /v3/domains/{domain_id}."""
    ctx = authenticated(request)
    ref = await body(request, "domain", schemas.DOMAIN_UPDATE)
    domain = await domains.update(layer(request), ctx, request.path_params["domain_id"], ref)
    return json({"domain": views.domain(request, domain)})


async def delete_domain(request: Request) -> Response:
    """DELETE /v3/domains/{domain_id}."""
    ctx = authenticated(request)
    await domains.delete_domain(layer(request), ctx, request.path_params["domain_id"])
    return empty()
