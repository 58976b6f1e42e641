"""user_storage_quota: the bytes one project may keep in the stores, counted as Glance counts."""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import TooLarge
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.config import parse_size
from kilocloud.image.models import Image, ImageLocation

NOT_COUNTED = (status.KILLED, status.DELETED, status.PENDING_DELETE)


def _used(owner: str | None) -> Select:
    """Stored data: each copy of an image counts its size once, so an image in two stores
    counts twice and staged data not yet in a store does not count."""
    return (
        select(func.coalesce(func.sum(Image.size), 0))
        .select_from(ImageLocation)
        .join(Image, ImageLocation.image_id == Image.id)
        .where(Image.owner == owner, Image.size > 0, Image.status.not_in(NOT_COUNTED))
    )


def _quota(services: Services) -> int | None:
    quota = parse_size(services.conf.user_storage_quota)
    return quota if quota > 0 else None


async def remaining(services: Services, owner: str | None) -> int | None:
    """Bytes `owner` may still store; None when no quota is set."""
    quota = _quota(services)
    if quota is None:
        return None
    async with services.db.read() as session:
        return max(quota - int(await session.scalar(_used(owner))), 0)


async def lock_uploads(services: Services, session: AsyncSession, owner: str | None) -> None:
    """Lock `owner`'s uploads in progress, in id order, when a quota applies.

    Taken first in the transaction that stores an upload, so that uploads finishing at the
    same time recheck the quota one after the other and never deadlock.
    """
    if _quota(services) is not None:
        saving = select(Image.id).where(Image.owner == owner, Image.status == status.SAVING)
        await session.execute(saving.order_by(Image.id).with_for_update(of=Image))


async def recheck(services: Services, session: AsyncSession, owner: str | None, size: int) -> None:
    """TooLarge if `size` more bytes no longer fit, as Glance rechecks once data is written:
    uploads that each fitted when they began may not fit together."""
    quota = _quota(services)
    if quota is not None:
        left = max(quota - int(await session.scalar(_used(owner))), 0)
        if size > left:
            raise TooLarge(over_quota(size, left))


def over_quota(size: int, left: int) -> str:
    """Why data of `size` bytes cannot be stored with `left` bytes of quota left."""
    return f"Storing {size} bytes would exceed the storage quota: {left} bytes remaining."
