"""HTTP face of image tags: PUT and DELETE /v2/images/{id}/tags/{tag}."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty
from kilocloud.core.routing import layer


async def add_tag(request: Request) -> Response:
    """PUT /v2/images/{image_id}/tags/{tag}: 204."""
    ctx = authenticated(request)
    params = request.path_params
    await layer(request).tags.add(ctx, params["image_id"], params["tag"])
    return empty()


async def delete_tag(request: Request) -> Response:
    """DELETE /v2/images/{image_id}/tags/{tag}: 204."""
    ctx = authenticated(request)
    params = request.path_params
    await layer(request).tags.delete(ctx, params["image_id"], params["tag"])
    return empty()
