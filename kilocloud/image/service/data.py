"""Image data upload: streamed into a store (queued -> saving -> active), within quotas."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sqlalchemy import select

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, Gone, TooLarge
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import Image, ImageLocation, utcnow
from kilocloud.image.service import access, quota, records, uploads
from kilocloud.image.service.digest import Digests
from kilocloud.image.service.uploads import Uploads
from kilocloud.image.stores.base import CHUNK, Store


class ImageData:
    """Upload of image data into the configured stores."""

    def __init__(self, services: Services, uploads: Uploads) -> None:
        self.services, self.uploads = services, uploads

    async def upload(
        self,
        ctx: RequestContext,
        image_id: str,
        chunks: AsyncIterator[bytes],
        store_name: str | None = None,
        expected_size: int | None = None,
    ) -> Image:
        """Store the streamed data and activate the image; on any failure it goes back to queued."""
        # Glance reads X-Image-Meta-Store only when enabled_backends is set
        store = self.services.stores.get(store_name if self.services.stores.multistore else None)
        image = await self._begin(ctx, image_id, store.name)
        try:
            image = await self._store(image, store, chunks, expected_size)
        finally:
            await asyncio.shield(self.uploads.end(image_id))
        await self.services.notifier.notify(
            ctx, "image", "image.upload", records.notification_payload(image)
        )
        await self.services.notifier.notify(
            ctx, "image", "image.activate", records.notification_payload(image)
        )
        return image

    async def _store(
        self, image: Image, store: Store, chunks: AsyncIterator[bytes], expected: int | None
    ) -> Image:
        limit = await self._limit(image, expected)
        digests = Digests(self.services.conf.hashing_algorithm, inspect=True)
        url = None
        try:
            url = await store.add(image.id, _metered(chunks, digests, limit))
            return await self._finish(image, store, url, digests, expected)
        except BaseException:
            digests.close()
            await asyncio.shield(self._abort(image.id, store, url))
            raise

    async def _finish(
        self, image: Image, store: Store, url: str, digests: Digests, expected: int | None
    ) -> Image:
        """Check the stored data against the declared size and format, then activate."""
        md5, secure = await digests.finish()
        size = await store.size(url)
        if expected is not None and size != expected:
            raise BadRequest(f"Image size {size} does not match the declared {expected}.")
        strict = self.services.conf.image_format.require_image_format_match
        virtual_size = digests.virtual_size(image.disk_format, image.container_format, size, strict)
        return await self._activate(image, store, url, size, md5, secure, virtual_size)

    async def _begin(self, ctx: RequestContext, image_id: str, store: str) -> Image:
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            self.services.policy.enforce(
                ctx, "upload_image", await access.target(session, ctx, image)
            )
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
            await self.uploads.begin(session, image.id, uploads.FILE, store)
        await self.services.notifier.notify(
            ctx, "image", "image.prepare", records.notification_payload(image)
        )
        return image

    async def _limit(self, image: Image, expected_size: int | None) -> int:
        """Most bytes this upload may store: the size cap, or what is left of the quota."""
        limit = self.services.conf.image_size_cap
        left = await quota.remaining(self.services, image.owner)
        if left is not None:
            limit = min(limit, left)
        if expected_size is not None and expected_size > limit:
            await self._abort(image.id, None, None)
            raise TooLarge(_too_large(limit))
        return limit

    async def _activate(
        self,
        begun: Image,
        store: Store,
        url: str,
        size: int,
        md5: str,
        secure: str,
        vsize: int | None,
    ) -> Image:
        async with self.services.db.write() as session:
            await quota.lock_uploads(self.services, session, begun.owner)
            image = await session.scalar(
                select(Image).where(Image.id == begun.id).with_for_update(of=Image)
            )
            if image is None or image.status != status.SAVING:
                raise Gone("Image was deleted or changed while its data was being uploaded.")
            await quota.recheck(self.services, session, image.owner, size)
            image.size, image.virtual_size, image.checksum = size, vsize, md5
            image.os_hash_algo = self.services.conf.hashing_algorithm
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
            async with self.services.db.write() as session:
                image = await session.get(Image, image_id, with_for_update=True)
                if image is not None and image.status == status.SAVING:
                    image.status = status.QUEUED
                    image.updated_at = utcnow()


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
