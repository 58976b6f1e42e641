"""HTTP face of interoperable import: PUT /v2/images/{id}/stage and POST .../import."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import UnsupportedMediaType
from kilocloud.core.http import empty, read_json
from kilocloud.core.routing import layer
from kilocloud.image.api.image_data import OCTET_STREAM, _body


async def stage_image_data(request: Request) -> Response:
    """PUT /v2/images/{image_id}/stage: stream the body into the staging area; 204."""
    ctx = authenticated(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != OCTET_STREAM:
        raise UnsupportedMediaType(f"Content-Type must be {OCTET_STREAM}, not {media_type!r}.")
    await layer(request).imports.stage(ctx, request.path_params["image_id"], _body(request))
    return empty()


async def import_image(request: Request) -> Response:
    """POST /v2/images/{image_id}/import: 202, the import runs in the background."""
    ctx = authenticated(request)
    body = await read_json(request)  # as Glance: whatever the Content-Type says
    await layer(request).imports.start(ctx, request.path_params["image_id"], body)
    return empty(202)


def import_methods(request: Request) -> list[str]:
    """The enabled import methods, for /v2/info/import and the image create header."""
    return layer(request).imports.methods()
