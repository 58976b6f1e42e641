"""copy-image (and conversion of an existing image): read an image's stored data into a file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sqlalchemy import select

from kilocloud.image import status
from kilocloud.image.models import Image
from kilocloud.image.tasks.work import Refused, Work


async def fetch_image(work: Work, image_id: str) -> None:
    """Copy the data of active image `image_id` from its first readable store into a file."""
    async with work.services.db.read() as session:
        image = await session.scalar(select(Image).where(Image.id == image_id))
    if image is None or image.status != status.ACTIVE:
        raise Refused(f"Image {image_id} is not active: its data cannot be read.")
    for location in image.locations:
        store = work.services.stores.for_location(location.store)
        if store is not None:
            work.path = work.scratch_file(".copy")
            await _copy(store.open(location.url), work.path)
            return
    raise Refused(f"Image {image_id} has no data in any configured store.")


async def _copy(chunks: AsyncIterator[bytes], target: str) -> None:
    fh = await asyncio.to_thread(open, target, "wb")
    try:
        async for chunk in chunks:
            await asyncio.to_thread(fh.write, chunk)
    finally:
        await asyncio.to_thread(fh.close)
