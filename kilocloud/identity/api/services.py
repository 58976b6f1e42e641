"""HTTP face of services: /v3/services[/{service_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import services


async def list_services(request: Request) -> Response:
    """GET /v3/services."""
    ctx = authenticated(request)
    wanted = filters(request, "type", "name")
    found, truncated = await services.listing(layer(request), ctx, wanted)
    items = [views.service(request, x) for x in found]
    return json(views.collection(request, "services", items, truncated))


async def create_service(request: Request) -> Response:
    """POST /v3/services."""
    ctx = authenticated(request)
    ref = await body(request, "service", schemas.SERVICE)
    service = await services.create(layer(request), ctx, ref)
    return json({"service": views.service(request, service)}, 201)


async def show_service(request: Request) -> Response:
    """GET /v3/services/{service_id}."""
    ctx = authenticated(request)
    service = await services.get(layer(request), ctx, request.path_params["service_id"])
    return json({"service": views.service(request, service)})


async def update_service(request: Request) -> Response:
    """PATCH /v3/services/{service_id}."""
    ctx = authenticated(request)
    ref = await body(request, "service", schemas.SERVICE_UPDATE)
    service = await services.update(layer(request), ctx, request.path_params["service_id"], ref)
    return json({"service": views.service(request, service)})


async def delete_service(request: Request) -> Response:
    """DELETE /v3/services/{service_id}."""
    ctx = authenticated(request)
    await services.delete_service(layer(request), ctx, request.path_params["service_id"])
    return empty()
