"""Image data download: where an image's bytes are, and streaming them with image.send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden
from kilocloud.image import status
from kilocloud.image.service import access, rows
from kilocloud.image.service.deps import ImageDeps
from kilocloud.image.service.records import ImageRow
from kilocloud.image.stores.base import Store


@dataclass
class Download:
    """Where an image's data is, for streaming it back."""

    image: ImageRow
    store: Store
    url: str


class ImageDownloads:
    """Download of image data from the configured stores."""

    def __init__(self, deps: ImageDeps) -> None:
        self.deps = deps

    async def locate(self, ctx: RequestContext, image_id: str) -> Download | None:
        """Where the image's data is; None when it has none yet."""
        async with self.deps.db.read() as session:
            image = await rows.fetch(session, ctx, image_id)
            target = await access.target(session, ctx, image)
        self.deps.policy.enforce(ctx, "download_image", target)
        if image.status == status.DEACTIVATED and not ctx.is_admin:
            raise Forbidden("The requested image has been deactivated. Data download is forbidden.")
        for store_name, url in image.locations:
            store = self.deps.stores.for_location(store_name)
            if store is not None:
                return Download(image, store, url)
        return None

    async def stream(
        self, ctx: RequestContext, data: Download, offset: int, length: int
    ) -> AsyncGenerator[bytes, None]:
        """The bytes of `data` from `offset`, then image.send: at ERROR priority if cut short.

        A chunk counts as sent once the consumer asks for the next one, so a client that stops
        reading (the generator is closed) gets the bytes it was actually handed.
        """
        sent = 0
        try:
            async for chunk in data.store.open(data.url, offset, length):
                yield chunk
                sent += len(chunk)
        finally:
            priority = "INFO" if sent == length else "ERROR"
            payload = {
                "receiver_tenant_id": ctx.project_id,
                "receiver_user_id": ctx.user_id,
                "destination_ip": ctx.remote_addr,
                "bytes_sent": sent,
                "image_id": data.image.id,
                "owner_id": data.image.owner,
            }
            # a cancelled download must still report what it sent
            await asyncio.shield(self.deps.notify(ctx, "image.send", payload, priority))
