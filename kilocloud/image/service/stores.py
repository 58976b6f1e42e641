"""The stores of a multi-store cloud: what they are, and removing an image from one of them."""

from __future__ import annotations

from typing import Any

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Conflict, Forbidden, NotFound
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import utcnow
from kilocloud.image.service import access, records
from kilocloud.image.service.images import Images


class StoreInfo:
    """Discovery of the configured stores, and deletion of an image's copy in one store."""

    def __init__(self, services: Services, images: Images) -> None:
        self.services = services
        self.images = images

    def _multistore(self) -> None:
        if not self.services.stores.multistore:
            raise NotFound("Multi backend is not supported at this site.")

    def list(self) -> list[dict[str, Any]]:
        """{"id", "description", "default"?} of every store, the default marked "true"."""
        self._multistore()
        listed = []
        for name, store in self.services.stores.by_name.items():
            entry = {"id": name, "description": f"{store.kind} store {name}"}
            if name == self.services.stores.default:
                entry["default"] = "true"
            listed.append(entry)
        return listed

    def detail(self, ctx: RequestContext) -> list[dict[str, Any]]:
        """The stores with their type, weight and non-secret properties (admin only)."""
        stores = self.list()
        self.services.policy.enforce(ctx, "stores_info_detail", {"project_id": ctx.project_id})
        for entry in stores:
            store = self.services.stores.by_name[entry["id"]]
            entry.update(type=store.kind, properties=store.details(), weight=0)
        return stores

    async def delete_image(self, ctx: RequestContext, store_id: str, image_id: str) -> None:
        """Remove the image's data from one store; it must stay stored somewhere else."""
        self._multistore()
        if store_id not in self.services.stores.by_name:
            raise Conflict(f"The selected store {store_id} is not available on this node.")
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "get_image_location", target)
            self.services.policy.enforce(ctx, "delete_image_location", target)
            if image.status != status.ACTIVE:
                raise Conflict(
                    "It's not allowed to remove image data from store if image status is not "
                    "'active'"
                )
            if len(image.locations) == 1:
                raise Forbidden(
                    "Cannot delete image data from the only store containing it. Consider "
                    "deleting the image instead."
                )
            location = next((loc for loc in image.locations if loc.store == store_id), None)
            if location is None:
                raise NotFound(f"Image {image_id} is not stored in store {store_id}.")
            stored = (location.store, location.url)
            image.locations.remove(location)
            image.updated_at = utcnow()
            payload = records.notification_payload(image)
        await self.images.forget(*stored)
        await self.services.notifier.notify(ctx, "image", "image.update", payload)
