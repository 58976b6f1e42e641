"""HTTP face of regions: /v3/regions[/{region_id}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters
from kilocloud.identity.service import regions


async def list_regions(request: Request) -> Response:
    """GET /v3/regions."""
    ctx = authenticated(request)
    wanted = filters(request, "parent_region_id")
    found, truncated = await regions.listing(layer(request), ctx, wanted)
    items = [views.region(request, x) for x in found]
    return json(views.collection(request, "regions", items, truncated))


async def create_region(request: Request) -> Response:
    """POST /v3/regions, and PUT /v3/regions/{region_id} with the client's id."""
    ctx = authenticated(request)
    ref = await body(request, "region", schemas.REGION)
    region_id = request.path_params.get("region_id")
    region = await regions.create(layer(request), ctx, ref, region_id)
    return json({"region": views.region(request, region)}, 201)


async def show_region(request: Request) -> Response:
    """GET /v3/regions/{region_id}."""
    ctx = authenticated(request)
    region = await regions.get(layer(request), ctx, request.path_params["region_id"])
    return json({"region": views.region(request, region)})


async def update_region(request: Request) -> Response:
    """PATCH /v3/regions/{region_id}."""
    ctx = authenticated(request)
    ref = await body(request, "region", schemas.REGION_UPDATE)
    region = await regions.update(layer(request), ctx, request.path_params["region_id"], ref)
    return json({"region": views.region(request, region)})


async def delete_region(request: Request) -> Response:
    """DELETE /v3/regions/{region_id}."""
    ctx = authenticated(request)
    await regions.delete_region(layer(request), ctx, request.path_params["region_id"])
    return empty()
