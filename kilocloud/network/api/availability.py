"""HTTP face of availability zones and network IP availability."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json
from kilocloud.core.routing import layer


async def list_availability_zones(request: Request) -> Response:
    """GET /v2.0/availability_zones."""
    ctx = authenticated(request)
    params = list(request.query_params.multi_items())
    zones = await layer(request).availability.zones(ctx, params)
    return json({"availability_zones": zones})


async def list_ip_availabilities(request: Request) -> Response:
    """GET /v2.0/network-ip-availabilities (admin)."""
    ctx = authenticated(request)
    params = list(request.query_params.multi_items())
    found = await layer(request).availability.ip_availabilities(ctx, params)
    return json({"network_ip_availabilities": found})


async def show_ip_availability(request: Request) -> Response:
    """GET /v2.0/network-ip-availabilities/{network_id}."""
    ctx = authenticated(request)
    service = layer(request).availability
    found = await service.ip_availability(ctx, request.path_params["network_id"])
    return json({"network_ip_availability": found})
