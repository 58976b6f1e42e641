"""HTTP face of endpoints: /v3/endpoints[/{endpoint_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import endpoints


async def list_endpoints(request: Request) -> Response:
    """GET /v3/endpoints."""
    ctx = authenticated(request)
    wanted = filters(request, "interface", "service_id", "region_id")
    found, truncated = await endpoints.listing(layer(request), ctx, wanted)
    items = [views.endpoint(request, x) for x in found]
    return json(views.collection(request, "endpoints", items, truncated))


async def create_endpoint(request: Request) -> Response:
    """POST /v3/endpoints."""
    ctx = authenticated(request)
    ref = await body(request, "endpoint", schemas.ENDPOINT)
    endpoint = await endpoints.create(layer(request), ctx, ref)
    return json({"endpoint": views.endpoint(request, endpoint)}, 201)


async def show_endpoint(request: Request) -> Response:
    """GET /v3/endpoints/{endpoint_id}."""
    ctx = authenticated(request)
    endpoint = await endpoints.get(layer(request), ctx, request.path_params["endpoint_id"])
    return json({"endpoint": views.endpoint(request, endpoint)})


async def update_endpoint(request: Request) -> Response:
    """PATCH /v3/endpoints/{endpoint_id}."""
    ctx = authenticated(request)
    ref = await body(request, "endpoint", schemas.ENDPOINT_UPDATE)
    endpoint_id = request.path_params["endpoint_id"]
    endpoint = await endpoints.update(layer(request), ctx, endpoint_id, ref)
    return json({"endpoint": views.endpoint(request, endpoint)})


async def delete_endpoint(request: Request) -> Response:
    """DELETE /v3/endpoints/{endpoint_id}."""
    ctx = authenticated(request)
    await endpoints.delete_endpoint(layer(request), ctx, request.path_params["endpoint_id"])
    return empty()
