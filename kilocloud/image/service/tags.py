"""Image tags: add and remove one tag at a time."""

from __future__ import annotations

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, NotFound, TooLarge
from kilocloud.deps import Services
from kilocloud.image.models import ImageTag, utcnow
from kilocloud.image.service import access, records


class Tags:
    """PUT and DELETE of /v2/images/{id}/tags/{tag}."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def add(self, ctx: RequestContext, image_id: str, tag: str) -> None:
        """Tag the image (adding a tag it has is a no-op)."""
        if not 0 < len(tag) <= 255:
            raise BadRequest("Tags are 1 to 255 characters long.")
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "modify_image", target)
            if tag in {t.value for t in image.tags}:
                return
            quota = self.services.conf.image_tag_quota
            if 0 <= quota <= len(image.tags):
                raise TooLarge(f"Maximum number of tags exceeded ({quota}).")
            image.tags.append(ImageTag(value=tag))
            image.updated_at = utcnow()
        await self.services.notifier.notify(
            ctx, "image", "image.update", records.notification_payload(image)
        )

    async def delete(self, ctx: RequestContext, image_id: str, tag: str) -> None:
        """Remove a tag; 404 when the image does not have it."""
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "modify_image", target)
            found = [t for t in image.tags if t.value == tag]
            if not found:
                raise NotFound(f"Tag {tag} not found on image {image_id}")
            image.tags.remove(found[0])
            image.updated_at = utcnow()
        await self.services.notifier.notify(
            ctx, "image", "image.update", records.notification_payload(image)
        )
