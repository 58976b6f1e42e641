"""Images, members and pages as the Image API serializes them."""

from __future__ import annotations

from typing import Any

from kilocloud.core import pagination
from kilocloud.image.models import ImageMember
from kilocloud.image.service import records
from kilocloud.image.service.layer import ImageService
from kilocloud.image.service.records import ImageRow


def image(entity: ImageRow, service: ImageService) -> dict[str, Any]:
    """The image entity with its self, file and schema links."""
    body = records.image_dict(entity, service.services.stores.multistore)
    body["self"] = f"/v2/images/{entity.id}"
    body["file"] = f"/v2/images/{entity.id}/file"
    body["schema"] = "/v2/schemas/image"
    return body


def images_page(
    images: list[ImageRow],
    next_marker: str | None,
    params: list[tuple[str, str]],
    service: ImageService,
) -> dict[str, Any]:
    """A page of images with its first, next and schema links."""
    return {
        "images": [image(i, service) for i in images],
        **pagination.first_and_next("/v2/images", params, next_marker),
        "schema": "/v2/schemas/images",
    }


def member(entity: ImageMember) -> dict[str, Any]:
    """A membership with its schema link."""
    return {**records.member_dict(entity), "schema": "/v2/schemas/member"}
