"""Which images a caller may see, and the policy target describing an image to oslo.policy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import NotFound
from kilocloud.image.models import Image, ImageMember


def not_found(image_id: str) -> NotFound:
    """The 404 Glance gives for an image that is missing or not visible."""
    return NotFound(f"No image found with ID {image_id}")


def membership(project_id: Any, member_status: Any = None) -> Any:
    """SQL condition: the image is shared with `project_id` (in `member_status` if given)."""
    cond = and_(ImageMember.image_id == Image.id, ImageMember.member == project_id)
    if member_status is not None:
        cond = and_(cond, ImageMember.status == member_status)
    return exists().where(cond)


def visible(ctx: RequestContext) -> Any:
    """SQL condition: `ctx` may see the image by id (any membership status)."""
    if ctx.is_admin:
        return true()
    return or_(
        Image.owner == ctx.project_id,
        Image.visibility.in_(("public", "community")),
        and_(Image.visibility == "shared", membership(ctx.project_id)),
    )


async def load(
    session: AsyncSession, ctx: RequestContext, image_id: str, lock: bool = False
) -> Image:
    """The image `ctx` may see; 404 when it is missing or hidden from the caller."""
    query: Select = select(Image).where(Image.id == image_id, visible(ctx))
    if lock:
        query = query.with_for_update(of=Image)
    image = (await session.execute(query)).scalar_one_or_none()
    if image is None:
        raise not_found(image_id)
    return image


async def target(
    session: AsyncSession | AsyncConnection, ctx: RequestContext, image: Any
) -> dict[str, Any]:
    """The policy target of `image` (an Image or an ImageRow) as seen by `ctx`."""
    member = None
    # membership only matters to the rules for shared images the caller does not own
    if image.visibility == "shared" and image.owner != ctx.project_id:
        member = await session.scalar(
            select(ImageMember.member).where(
                ImageMember.image_id == image.id, ImageMember.member == ctx.project_id
            )
        )
    return {
        "project_id": image.owner,
        "owner": image.owner,
        "visibility": image.visibility,
        "member_id": member or "",
        "id": image.id,
    }
