"""How an import ends: its image activated (or given new locations), or put back and failed."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import Image, ImageLocation, utcnow
from kilocloud.image.service import records
from kilocloud.image.task_models import ImageTask
from kilocloud.image.tasks import lifecycle, marks
from kilocloud.image.tasks.store import Stored
from kilocloud.image.tasks.work import Work

# tasks that made their image themselves: it goes away when they fail
NEW_IMAGE_TYPES = ("import", "convert")


async def succeed(work: Work, runner: str, stored: Stored, copy: bool) -> bool:
    """Activate the image (or add the copies); False when the task or image was taken away."""
    services = work.services
    async with services.db.write() as session:
        task = await lifecycle.locked(session, work.task_id, runner)
        image = await session.get(Image, work.image_id, with_for_update=True)
        if task is None or image is None or not marks.held_by(image, task.id):
            if task is not None:
                lifecycle.end(services, task, None, "The image was deleted during the import.")
            return False
        for name, url in stored.locations:
            image.locations.append(ImageLocation(store=name, url=url, meta={}))
        if not copy:
            _activate(image, work, stored, services.conf.hashing_algorithm)
        marks.drop(image, marks.IMPORT_TASK, marks.IMPORTING_TO)
        if stored.failed:
            marks.put(image, marks.FAILED_IMPORT, ",".join(stored.failed))
        image.updated_at = utcnow()
        lifecycle.end(services, task, {"image_id": image.id})
    payload = records.notification_payload(image)
    await lifecycle.notify(services, task, "task.success")
    await services.notifier.notify(None, "image", "image.import.success", payload)
    if not copy:
        await services.notifier.notify(None, "image", "image.activate", payload)
    return True


def _activate(image: Image, work: Work, stored: Stored, algorithm: str) -> None:
    image.size, image.checksum = stored.size, stored.checksum
    image.os_hash_algo, image.os_hash_value = algorithm, stored.os_hash_value
    image.virtual_size = work.virtual_size
    image.disk_format, image.container_format = work.disk_format, work.container_format
    for name, value in work.properties.items():
        marks.put(image, name, value)
    image.status = status.ACTIVE


async def fail(
    services: Services, task_id: str, message: str, runner: str | None, failed: list[str]
) -> bool:
    """End an open task in failure and put its image back; False when it had already ended."""
    async with services.db.write() as session:
        task = await session.get(ImageTask, task_id, with_for_update=True)
        if task is None or task.status not in lifecycle.OPEN:
            return False
        if runner is not None and task.runner not in (None, runner):
            return False
        lifecycle.end(services, task, None, message)
        image = await _revert(session, task, failed)
    await lifecycle.notify(services, task, "task.failure")
    if image is not None:
        await services.notifier.notify(
            None, "image", "image.import.failure", records.notification_payload(image)
        )
    return True


async def _revert(session: AsyncSession, task: ImageTask, failed: list[str]) -> Image | None:
    image = await session.get(Image, task.image_id, with_for_update=True) if task.image_id else None
    if image is None or not marks.held_by(image, task.id):
        return None
    if task.type in NEW_IMAGE_TYPES:
        await session.delete(image)
        return image
    if image.status == status.IMPORTING:
        image.status = status.QUEUED
    marks.drop(image, marks.IMPORT_TASK, marks.IMPORTING_TO)
    if failed:
        marks.put(image, marks.FAILED_IMPORT, ",".join(failed))
    image.updated_at = utcnow()
    return image
