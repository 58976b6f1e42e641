"""Image data: streamed upload (queued -> saving -> active) and download, with quotas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, Forbidden, Gone, TooLarge
from kilocloud.image import status
from kilocloud.image.models import Image, ImageLocation, utcnow
from kilocloud.image.service import access, quota, records, rows
from kilocloud.image.service.deps import ImageDeps
from kilocloud.image.service.digest import Digests
from kilocloud.image.service.records import ImageRow
from kilocloud.image.stores.base import CHUNK, Store


@dataclass
class Download:
    """Where an image's data is, for streaming it back."""

    image: ImageRow
    store: Store
    url: str


class ImageData:
    """Upload and download of image data through the configured stores."""

    def __init__(self, deps: ImageDeps) -> None:
        self.deps = deps

    async def upload(
        self,
        ctx: RequestContext,
        image_id: str,
        chunks: AsyncIterator[bytes],
        store_name: str | None = None,
        expected_size: int | None = None,
    ) -> Image:
        """Store the streamed data and activate the image; on any failure it goes back to queued."""
        store = self.deps.stores.get(store_name)
        image = await self._begin(ctx, image_id)
        limit = await self._limit(image, expected_size)
        digests = Digests(
            self.deps.conf.hashing_algorithm,
            image.disk_format,
            inspect=image.container_format == "bare",
        )
        url = None
        try:
            url = await store.add(image_id, _metered(chunks, digests, limit))
            image = await self._finish(image, store, url, digests, expected_size)
        except BaseException:
            digests.close()
            await asyncio.shield(self._abort(image_id, store, url))
            raise
        await self.deps.notify(ctx, "image.upload", records.notification_payload(image))
        await self.deps.notify(ctx, "image.activate", records.notification_payload(image))
        return image

    async def _finish(
        self, image: Image, store: Store, url: str, digests: Digests, expected: int | None
    ) -> Image:
        """Check the stored data against the declared size and format, then activate."""
        md5, secure = await digests.finish()
        size = await store.size(url)
        if expected is not None and size != expected:
            raise BadRequest(f"Image size {size} does not match the declared {expected}.")
        strict = self.deps.conf.image_format.require_image_format_match
        virtual_size = digests.virtual_size(image.disk_format, size, strict)
        return await self._activate(image.id, store, url, size, md5, secure, virtual_size)

    async def _begin(self, ctx: RequestContext, image_id: str) -> Image:
        async with self.deps.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            self.deps.policy.enforce(ctx, "upload_image", await access.target(session, ctx, image))
            if not status.can_transition(image.status, status.SAVING):
                raise Conflict(
                    f"Image status transition from {image.status} to saving is not allowed"
                )
            if not image.disk_format or not image.container_format:
                raise BadRequest(
                    "Properties disk_format and container_format must be set before uploading."
                )
            image.status = status.SAVING
            image.updated_at = utcnow()
        await self.deps.notify(ctx, "image.prepare", records.notification_payload(image))
        return image

    async def _limit(self, image: Image, expected_size: int | None) -> int:
        """Most bytes this upload may store: the size cap, or what is left of the quota."""
        limit = self.deps.conf.image_size_cap
        left = await quota.remaining(self.deps, image.owner)
        if left is not None:
            limit = min(limit, left)
        if expected_size is not None and expected_size > limit:
            await self._abort(image.id, None, None)
            raise TooLarge(_too_large(limit))
        return limit

    async def _activate(
        self,
        image_id: str,
        store: Store,
        url: str,
        size: int,
        md5: str,
        secure: str,
        vsize: int | None,
    ) -> Image:
        async with self.deps.db.write() as session:
            image = await session.scalar(
                select(Image).where(Image.id == image_id).with_for_update(of=Image)
            )
            if image is None or image.status != status.SAVING:
                raise Gone("Image was deleted or changed while its data was being uploaded.")
            image.size, image.virtual_size, image.checksum = size, vsize, md5
            image.os_hash_algo = self.deps.conf.hashing_algorithm
            image.os_hash_value = secure
            image.status = status.ACTIVE
            image.updated_at = utcnow()
            image.locations.append(ImageLocation(store=store.name, url=url, meta={}))
        return image

    async def _abort(self, image_id: str, store: Store | None, url: str | None) -> None:
        """Forget stored data and put a still-saving image back to queued, as Glance does.

        Not `killed`: Glance's v2 restores the image so that the upload can simply be retried.
        """
        try:
            if store is not None and url is not None:
                await store.delete(url)
        finally:
            async with self.deps.db.write() as session:
                image = await session.get(Image, image_id, with_for_update=True)
                if image is not None and image.status == status.SAVING:
                    image.status = status.QUEUED
                    image.updated_at = utcnow()

    async def download(self, ctx: RequestContext, image_id: str) -> Download | None:
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
    ) -> AsyncIterator[bytes]:
        """The bytes of `data` from `offset`; image.send is emitted once they are all sent."""
        sent = 0
        async for chunk in data.store.open(data.url, offset, length):
            sent += len(chunk)
            yield chunk
        payload = {
            "receiver_tenant_id": ctx.project_id,
            "receiver_user_id": ctx.user_id,
            "destination_ip": ctx.remote_addr,
            "bytes_sent": sent,
            "image_id": data.image.id,
            "owner_id": data.image.owner,
        }
        await self.deps.notify(ctx, "image.send", payload)


async def _metered(
    chunks: AsyncIterator[bytes], digests: Digests, limit: int
) -> AsyncIterator[bytes]:
    """`chunks` regrouped into blocks of about CHUNK bytes, hashed, and capped at `limit`."""
    held: list[bytes] = []
    size = total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise TooLarge(_too_large(limit))
        held.append(chunk)
        size += len(chunk)
        if size >= CHUNK:
            block = b"".join(held)
            held, size = [], 0
            await digests.feed(block)
            yield block
    if held:
        block = b"".join(held)
        await digests.feed(block)
        yield block


def _too_large(limit: int) -> str:
    return f"Image exceeds the storage quota or the size cap: at most {limit} bytes may be stored."
