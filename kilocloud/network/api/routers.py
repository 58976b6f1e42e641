"""HTTP face of router actions: interfaces and extra routes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json
from kilocloud.core.routing import layer
from kilocloud.network.api.resources import body_of


async def add_router_interface(request: Request) -> Response:
    """PUT /v2.0/routers/{id}/add_router_interface: 200 with the interface."""
    ctx = authenticated(request)
    data = await body_of(request)
    service = layer(request).router_interfaces
    return json(await service.add(ctx, request.path_params["id"], data))


async def remove_router_interface(request: Request) -> Response:
    """PUT /v2.0/routers/{id}/remove_router_interface: 200 with the removed interface."""
    ctx = authenticated(request)
    data = await body_of(request)
    service = layer(request).router_interfaces
    return json(await service.remove(ctx, request.path_params["id"], data))


async def add_extraroutes(request: Request) -> Response:
    """PUT /v2.0/routers/{id}/add_extraroutes."""
    ctx = authenticated(request)
    data = await body_of(request)
    routers = layer(request).routers
    return json({"router": await routers.change_routes(ctx, request.path_params["id"], data, True)})


async def remove_extraroutes(request: Request) -> Response:
    """PUT /v2.0/routers/{id}/remove_extraroutes."""
    ctx = authenticated(request)
    data = await body_of(request)
    routers = layer(request).routers
    return json(
        {"router": await routers.change_routes(ctx, request.path_params["id"], data, False)}
    )
