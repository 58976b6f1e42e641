"""user_storage_quota: the bytes one project may keep in the stores, counted as Glance counts."""

from __future__ import annotations

from sqlalchemy import func, select

from kilocloud.image import status
from kilocloud.image.config import parse_size
from kilocloud.image.models import Image, ImageLocation
from kilocloud.image.service.deps import ImageDeps

NOT_COUNTED = (status.KILLED, status.DELETED, status.PENDING_DELETE)


async def remaining(deps: ImageDeps, owner: str | None) -> int | None:
    """Bytes `owner` may still store; None when no quota is set.

    Usage is stored data: each copy of an image counts its size once, so an image in two
    stores counts twice and staged data not yet in a store does not count.
    """
    quota = parse_size(deps.conf.user_storage_quota)
    if quota <= 0:
        return None
    used = (
        select(func.coalesce(func.sum(Image.size), 0))
        .select_from(ImageLocation)
        .join(Image, ImageLocation.image_id == Image.id)
        .where(Image.owner == owner, Image.size > 0, Image.status.not_in(NOT_COUNTED))
    )
    async with deps.db.read() as session:
        return max(quota - int(await session.scalar(used)), 0)


def over_quota(size: int, left: int) -> str:
    """Why data of `size` bytes cannot be stored with `left` bytes of quota left."""
    return f"Storing {size} bytes would exceed the storage quota: {left} bytes remaining."
