"""The import job: fetch the data, introspect, run the plugins, store it, and end the task.

Its payload says where the data comes from (`source`), which stores it goes to, and whether
the image is new, queued for import, or already active (copy-image).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import select

from kilocloud.core.errors import APIError
from kilocloud.deps import Services
from kilocloud.image.models import Image
from kilocloud.image.service import staging
from kilocloud.image.tasks import lifecycle, outcome
from kilocloud.image.tasks.convert import convert
from kilocloud.image.tasks.copy_image import fetch_image
from kilocloud.image.tasks.docker import docker_metadata
from kilocloud.image.tasks.introspect import introspect
from kilocloud.image.tasks.plugins import Plugin
from kilocloud.image.tasks.store import Stored, forget, store_all
from kilocloud.image.tasks.web_download import web_download
from kilocloud.image.tasks.work import Refused, Work

LOG = logging.getLogger(__name__)
INTERRUPTED = "Interrupted: the process running this task stopped."


async def run(work: Work, runner: str, plugins: list[Plugin], payload: dict[str, Any]) -> None:
    """Carry out one claimed import to its end, success or failure."""
    stored = Stored()
    handed_back = False
    try:
        start = {"image_id": work.image_id, "task_id": work.task_id, "owner": work.owner}
        await work.services.notifier.notify(None, "image", "image.import.start", start)
        await fetch(work, payload["source"])
        if not payload.get("copy"):
            await prepare(work, payload, plugins)
        stored = await store_all(work, payload["stores"], payload.get("must_succeed", True))
        if not await outcome.succeed(work, runner, stored, bool(payload.get("copy"))):
            await forget(work.services.stores, stored.locations)
    except asyncio.CancelledError:  # this process stops: another run resumes from the source
        handed_back = await asyncio.shield(lifecycle.hand_back(work.services, work.task_id, runner))
        LOG.info("import task %s handed back to the queue as this process stops", work.task_id)
        raise
    except Exception as exc:  # every failure ends the task, with the reason as its message
        if not isinstance(exc, APIError):
            LOG.exception("import task %s failed", work.task_id)
        failed = stored.failed or list(payload["stores"])
        await outcome.fail(work.services, work.task_id, message(exc), runner, failed)
    finally:
        work.cleanup()
        if payload["source"]["kind"] == "stage" and not handed_back:
            staging.discard(staging.path(work.services.conf, work.image_id))


async def fetch(work: Work, source: dict[str, Any]) -> None:
    """Put the data where `work.path` says: staged, downloaded, or copied from an image."""
    kind = source["kind"]
    if kind == "stage":
        work.path = staging.path(work.services.conf, work.image_id)
    elif kind == "url":
        await web_download(work, source["uri"])
    elif kind == "image":
        await fetch_image(work, source["image_id"])
    else:
        raise Refused(f"Unknown import source {kind!r}.")


async def prepare(work: Work, payload: dict[str, Any], plugins: list[Plugin]) -> None:
    """Introspection and container metadata, then conversion or the import plugins."""
    await introspect(work)
    await docker_metadata(work)
    if payload.get("convert_to"):
        await convert(work, payload["convert_to"])
    if payload.get("plugins"):
        for plugin in plugins:
            await plugin(work)


async def load_work(
    services: Services, task_id: str, image_id: str, source: dict, roles: list[str]
) -> Work:
    """The Work of an import into `image_id` (the source image's formats for a conversion)."""
    async with services.db.read() as session:
        image = await session.scalar(select(Image).where(Image.id == image_id))
        origin = image
        if source["kind"] == "image" and source["image_id"] != image_id:
            origin = await session.scalar(select(Image).where(Image.id == source["image_id"]))
    if image is None or origin is None:
        raise Refused(f"Image {image_id} is gone.")
    fmt = source.get("format") or origin.disk_format
    return Work(services, task_id, image_id, fmt, image.container_format, roles, image.owner)


def message(exc: BaseException) -> str:
    """What the task's message says about `exc`."""
    if isinstance(exc, APIError):
        return exc.message
    return f"Import failed: {type(exc).__name__}: {exc}"


async def claimed(services: Services, task_id: str, runner: str) -> bool:
    """Claim the task for `runner`; False when someone else ended or took it."""
    return await lifecycle.claim(services, task_id, runner) is not None
