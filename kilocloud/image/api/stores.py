"""HTTP face of the stores: /v2/info/stores[/detail] and /v2/stores/{store_id}/{image_id}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer


async def stores_info(request: Request) -> Response:
    """GET /v2/info/stores: the stores of a multi-store deployment; 404 otherwise."""
    authenticated(request)
    return json({"stores": layer(request).stores.list()})


async def stores_info_detail(request: Request) -> Response:
    """GET /v2/info/stores/detail: the stores with their type and properties (admin)."""
    ctx = authenticated(request)
    return json({"stores": layer(request).stores.detail(ctx)})


async def delete_from_store(request: Request) -> Response:
    """DELETE /v2/stores/{store_id}/{image_id}: 204 once the image is gone from that store."""
    ctx = authenticated(request)
    params = request.path_params
    await layer(request).stores.delete_image(ctx, params["store_id"], params["image_id"])
    return empty()
