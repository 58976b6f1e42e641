"""Uploads in progress, each held by the process carrying it under a heartbeat.

A process killed in the middle of PUT /file or PUT /stage leaves its image `saving` or
`uploading` and partial data behind. Each upload's row names its process: once that process is
gone (its pid is dead on this host, or its heartbeat is older than the task lease), the image
goes back to `queued` and the partial data is removed, as abandoned tasks are ended.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core import tasks
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import Image, ImageUpload, utcnow
from kilocloud.image.service import staging

LOG = logging.getLogger(__name__)
FILE, STAGE = "file", "stage"
CARRYING = {FILE: status.SAVING, STAGE: status.UPLOADING}


class Uploads:
    """The uploads this process carries, and the reclaiming of those no live process carries."""

    def __init__(self, services: Services, runner: str | None = None) -> None:
        self.services = services
        self.runner = runner or tasks.runner_id()
        self.held: set[str] = set()

    async def begin(
        self, session: AsyncSession, image_id: str, kind: str, store: str | None = None
    ) -> None:
        """Record, in the caller's transaction, that this process carries an upload."""
        row = ImageUpload(
            image_id=image_id, kind=kind, store=store, runner=self.runner, heartbeat_at=utcnow()
        )
        await session.merge(row)
        self.held.add(image_id)

    async def end(self, image_id: str) -> None:
        """The upload ended (stored, refused or cut): forget its row."""
        self.held.discard(image_id)
        mine = (ImageUpload.image_id == image_id) & (ImageUpload.runner == self.runner)
        async with self.services.db.write() as session:
            await session.execute(delete(ImageUpload).where(mine))

    async def beat(self) -> None:
        """Refresh the heartbeat of every upload this process carries."""
        if not self.held:
            return
        mine = ImageUpload.image_id.in_(self.held) & (ImageUpload.runner == self.runner)
        async with self.services.db.write() as session:
            await session.execute(update(ImageUpload).where(mine).values(heartbeat_at=utcnow()))

    async def reclaim(self) -> None:
        """Put back to queued every image whose upload no live process carries, and remove
        the partial data it left."""
        lease = utcnow() - datetime.timedelta(seconds=self.services.conf.task.lease_seconds)
        others = select(ImageUpload).where(ImageUpload.runner != self.runner)
        async with self.services.db.read() as session:
            rows = list((await session.execute(others)).scalars())
        for row in rows:
            if row.heartbeat_at < lease or _dead_here(row.runner):
                await self._release(row)

    async def _release(self, row: ImageUpload) -> None:
        # data first: while the row stands the image stays saving or uploading, so no new
        # upload can write there, and a crash here only leaves the row for the next round
        await self._discard(row)
        async with self.services.db.write() as session:
            current = await session.get(ImageUpload, row.image_id, with_for_update=True)
            if current is None or current.runner != row.runner:
                return  # ended or taken over meanwhile
            image = await session.get(Image, row.image_id, with_for_update=True)
            if image is not None and image.status == CARRYING[row.kind]:
                image.status, image.updated_at = status.QUEUED, utcnow()
            await session.delete(current)
        LOG.warning("upload of image %s abandoned by %s: queued again", row.image_id, row.runner)

    async def _discard(self, row: ImageUpload) -> None:
        """Remove what the abandoned upload wrote: its partial staged file or store data."""
        if row.kind == STAGE:
            staging.discard(staging.path(self.services.conf, row.image_id))
            return
        for store in self.services.stores.by_name.values():
            if row.store is None or store.name == row.store:
                await store.discard_partial(row.image_id)


def _dead_here(runner: str) -> bool:
    """Whether `runner` (tasks.runner_id()) was a process of this host that is gone."""
    host, _, rest = runner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True  # an earlier process with this pid (one per container): not this one
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
