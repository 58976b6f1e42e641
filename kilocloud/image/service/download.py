"""Image data download: where an image's bytes are, and streaming them with image.send."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import APIError, Forbidden
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.service import access, rows
from kilocloud.image.service.records import ImageRow
from kilocloud.image.stores.base import Store

LOG = logging.getLogger(__name__)


@dataclass
class Download:
    """Where an image's data is, for streaming it back: every copy, in location order."""

    image: ImageRow
    copies: list[tuple[Store, str]]


class ImageDownloads:
    """Download of image data from the configured stores."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def locate(self, ctx: RequestContext, image_id: str) -> Download | None:
        """Where the image's data is; None when it has none in a configured store."""
        async with self.services.db.read() as session:
            image = await rows.fetch(session, ctx, image_id)
            target = await access.target(session, ctx, image)
        self.services.policy.enforce(ctx, "download_image", target)
        if image.status == status.DEACTIVATED and not ctx.is_admin:
            raise Forbidden("The requested image has been deactivated. Data download is forbidden.")
        copies = [
            (store, url)
            for store_name, url in image.locations
            if (store := self.services.stores.for_location(store_name)) is not None
        ]
        return Download(image, copies) if copies else None

    async def stream(
        self, ctx: RequestContext, data: Download, offset: int, length: int
    ) -> AsyncGenerator[bytes, None]:
        """The bytes of `data` from `offset`, then image.send: at ERROR priority if cut short.

        The first chunk is read from the first copy that gives one; when none does, the last
        copy's error is raised and nothing is reported. A chunk counts as sent once the consumer
        asks for the next one, so a client that stops reading gets the bytes it was handed.
        """
        chunks, first = await _first_chunk(data, offset, length)
        sent = 0
        try:
            async with contextlib.aclosing(chunks):
                if first:
                    yield first
                    sent += len(first)
                async for chunk in chunks:
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
            await asyncio.shield(
                self.services.notifier.notify(ctx, "image", "image.send", payload, priority)
            )


async def _first_chunk(
    data: Download, offset: int, length: int
) -> tuple[AsyncGenerator[bytes, None], bytes]:
    """The first copy that gives its first chunk, and that chunk: Glance tries each in turn."""
    *others, last = data.copies
    for store, url in others:
        try:
            return await _opened(store, url, offset, length)
        except (APIError, OSError) as exc:
            LOG.warning("cannot read %s from store %s, trying the next: %s", url, store.name, exc)
    return await _opened(*last, offset, length)


async def _opened(
    store: Store, url: str, offset: int, length: int
) -> tuple[AsyncGenerator[bytes, None], bytes]:
    chunks = store.open(url, offset, length)
    try:
        return chunks, await anext(chunks, b"")
    except BaseException:
        await chunks.aclose()
        raise
