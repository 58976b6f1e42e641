"""Image members: the projects a shared image is offered to, and their acceptance."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, Forbidden, NotFound, TooLarge
from kilocloud.core.jsonschemas import refuse_nul
from kilocloud.deps import Services
from kilocloud.image.models import Image, ImageMember, utcnow
from kilocloud.image.service import access, records

STATUSES = ("pending", "accepted", "rejected")


class Members:
    """Add, list, show, update and remove the members of an image."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def _image(
        self, session: AsyncSession, ctx: RequestContext, image_id: str, rule: str, **extra: str
    ) -> Image:
        image = await access.load(session, ctx, image_id)
        target = {**await access.target(session, ctx, image), **extra}
        self.services.policy.enforce(ctx, rule, target)
        if image.visibility != "shared":
            raise Forbidden(f"Only shared images have members; image {image_id} is not shared.")
        return image

    async def add(self, ctx: RequestContext, image_id: str, member_id: object) -> ImageMember:
        """Offer the image to project `member_id`, pending its acceptance."""
        if not isinstance(member_id, str) or not 0 < len(member_id) <= 64:
            raise BadRequest("Member must be a project id of at most 64 characters.")
        refuse_nul(member_id)
        try:
            async with self.services.db.write() as session:
                image = await self._image(session, ctx, image_id, "add_member")
                count = await session.scalar(
                    select(func.count()).where(ImageMember.image_id == image_id)
                )
                quota = self.services.conf.image_member_quota
                if 0 <= quota <= count:
                    raise TooLarge(f"Maximum number of image members exceeded ({quota}).")
                member = ImageMember(image_id=image_id, member=member_id, status="pending")
                member.created_at = member.updated_at = utcnow()
                session.add(member)
        except IntegrityError:
            raise Conflict(f"Member {member_id} already associated with image {image_id}") from None
        await self.services.notifier.notify(
            ctx, "image", "image.member.create", records.member_payload(member, image.owner)
        )
        return member

    async def list(self, ctx: RequestContext, image_id: str) -> list[ImageMember]:
        """The members `ctx` may see: all of them for the owner, only its own for a member."""
        async with self.services.db.read() as session:
            image = await self._image(session, ctx, image_id, "get_members")
            query = select(ImageMember).where(ImageMember.image_id == image_id)
            if not ctx.is_admin and image.owner != ctx.project_id:
                query = query.where(ImageMember.member == ctx.project_id)
            return list((await session.execute(query.order_by(ImageMember.id))).scalars())

    async def get(self, ctx: RequestContext, image_id: str, member_id: str) -> ImageMember:
        """One membership; as in Glance, whatever would be a 403 is a 404, revealing nothing."""
        async with self.services.db.read() as session:
            try:
                image = await self._image(session, ctx, image_id, "get_member")
            except Forbidden:
                raise _missing(image_id, member_id) from None
            if not ctx.is_admin and ctx.project_id not in (image.owner, member_id):
                raise _missing(image_id, member_id)
            return await _member(session, image_id, member_id)

    async def update(
        self, ctx: RequestContext, image_id: str, member_id: str, new_status: object
    ) -> ImageMember:
        """Accept, reject or reset a membership; only the member itself may."""
        if new_status not in STATUSES:
            raise BadRequest(f"Invalid status: {new_status!r}; use one of {', '.join(STATUSES)}.")
        async with self.services.db.write() as session:
            image = await self._image(session, ctx, image_id, "modify_member", member_id=member_id)
            member = await _member(session, image_id, member_id)
            member.status = new_status
            member.updated_at = utcnow()
        payload = records.member_payload(member, image.owner)
        await self.services.notifier.notify(ctx, "image", "image.member.update", payload)
        return member

    async def delete(self, ctx: RequestContext, image_id: str, member_id: str) -> None:
        """Stop sharing the image with `member_id`."""
        async with self.services.db.write() as session:
            image = await self._image(session, ctx, image_id, "delete_member")
            member = await _member(session, image_id, member_id)
            await session.delete(member)
        payload = records.member_payload(member, image.owner, deleted=True)
        await self.services.notifier.notify(ctx, "image", "image.member.delete", payload)


async def _member(session: AsyncSession, image_id: str, member_id: str) -> ImageMember:
    member = await session.scalar(
        select(ImageMember).where(ImageMember.image_id == image_id, ImageMember.member == member_id)
    )
    if member is None:
        raise _missing(image_id, member_id)
    return member


def _missing(image_id: str, member_id: str) -> NotFound:
    return NotFound(f"Member {member_id} not found for image {image_id}")
