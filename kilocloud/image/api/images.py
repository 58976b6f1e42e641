"""HTTP face of image records: /v2/images and /v2/images/{id}[/actions/*]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest, UnsupportedMediaType
from kilocloud.core.http import empty, json, read_json, service_root
from kilocloud.core.routing import layer
from kilocloud.image.api import views
from kilocloud.image.api.imports import import_methods
from kilocloud.image.service import patch


async def create_image(request: Request) -> Response:
    """POST /v2/images: 201 with the new queued image."""
    ctx = authenticated(request)
    body = await read_json(request)  # as Glance: whatever the Content-Type says
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    service = layer(request)
    entity = await service.images.create(ctx, body)
    headers = {"Location": f"{service_root(request)}/v2/images/{entity.id}"}
    if service.services.stores.multistore:
        headers["OpenStack-image-store-ids"] = ",".join(service.services.stores.by_name)
    if methods := import_methods(request):
        headers["OpenStack-image-import-methods"] = ",".join(methods)
    return json(views.image(entity, service), 201, headers)


async def list_images(request: Request) -> Response:
    """GET /v2/images: a filtered, sorted page of images."""
    ctx = authenticated(request)
    params = list(request.query_params.multi_items())
    service = layer(request)
    images, next_marker = await service.images.list(ctx, params)
    return json(views.images_page(images, next_marker, params, service))


async def show_image(request: Request) -> Response:
    """GET /v2/images/{image_id}."""
    ctx = authenticated(request)
    service = layer(request)
    entity = await service.images.get(ctx, request.path_params["image_id"])
    return json(views.image(entity, service))


async def update_image(request: Request) -> Response:
    """PATCH /v2/images/{image_id} with either JSON-patch media type."""
    ctx = authenticated(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in patch.MEDIA_TYPES:
        raise UnsupportedMediaType(
            f"Unsupported Content-Type {media_type or 'none'!r} for an image update.",
            headers={"Accept-Patch": ", ".join(patch.MEDIA_TYPES)},
        )
    changes = patch.normalize(await read_json(request), media_type)
    service = layer(request)
    entity = await service.images.update(ctx, request.path_params["image_id"], changes)
    return json(views.image(entity, service))


async def delete_image(request: Request) -> Response:
    """DELETE /v2/images/{image_id}: 204."""
    ctx = authenticated(request)
    await layer(request).images.delete(ctx, request.path_params["image_id"])
    return empty()


async def deactivate_image(request: Request) -> Response:
    """POST /v2/images/{image_id}/actions/deactivate: 204."""
    ctx = authenticated(request)
    await layer(request).images.set_active(ctx, request.path_params["image_id"], False)
    return empty()


async def reactivate_image(request: Request) -> Response:
    """POST /v2/images/{image_id}/actions/reactivate: 204."""
    ctx = authenticated(request)
    await layer(request).images.set_active(ctx, request.path_params["image_id"], True)
    return empty()
