"""Task leases on a real SQLite database: abandoned tasks run again, then fail; no duplicates."""

from __future__ import annotations

import asyncio
import datetime
from pathlib import Path

from kilocloud import migrations
from kilocloud.core.context import RequestContext
from kilocloud.deps import Services
from kilocloud.image import status
from kilocloud.image.models import Image, utcnow
from kilocloud.image.task_models import ImageTask
from kilocloud.image.tasks import lifecycle, marks
from kilocloud.image.tasks.runtime import TaskRuntime
from kilocloud.opts import load_conf


async def _services(tmp: Path) -> Services:
    conf = load_conf([], {"state_dir": str(tmp)})
    conf.set_override("lease_seconds", 3, group="task")
    conf.set_override("connection", f"sqlite:///{tmp}/k.db", group="database")
    services = Services.create(conf, ())
    await migrations.upgrade(services.db)
    return services


async def _importing(
    services: Services, runner: str | None, age: int, attempts: int = 1
) -> ImageTask:
    """An image being imported by a processing task whose last heartbeat was `age` s ago."""
    ctx = RequestContext(request_id="req-1", project_id="p", user_id="u")
    now = utcnow()
    image = Image(id="11111111-1111-1111-1111-111111111111", status=status.IMPORTING, properties=[])
    image.tags, image.locations = [], []
    image.visibility, image.owner, image.created_at, image.updated_at = "shared", "p", now, now
    image.disk_format, image.container_format = "raw", "bare"
    task = lifecycle.new_task(ctx, "api_image_import", {}, image.id, runner)
    task.status, task.attempts = lifecycle.PROCESSING, attempts
    task.heartbeat_at = now - datetime.timedelta(seconds=age)
    async with services.db.write() as session:
        session.add(image)
        await session.flush()
        marks.put(image, marks.IMPORT_TASK, task.id)
        session.add(task)
    return task


async def _reaped(tmp: Path, attempts: int) -> tuple[ImageTask, Image]:
    services = await _services(tmp)
    task = await _importing(services, "gone-host:1:x", age=10, attempts=attempts)
    await TaskRuntime(services).reap()
    async with services.db.read() as session:
        task = await session.get(ImageTask, task.id)
        image = await session.get(Image, task.image_id)
    await services.db.dispose()
    return task, image


def test_an_abandoned_task_goes_back_to_pending_for_another_worker(tmp_path: Path) -> None:
    task, image = asyncio.run(_reaped(tmp_path, attempts=1))
    assert (task.status, task.runner, task.message) == ("pending", None, "")
    due = utcnow() - datetime.timedelta(seconds=60)  # [task] redispatch_seconds
    assert task.heartbeat_at < due  # the next redispatch pass sends it again
    assert image.status == status.IMPORTING and marks.get(image, marks.IMPORT_TASK) == task.id


def test_an_abandoned_task_on_its_last_attempt_fails_and_its_image_goes_back_to_queued(
    tmp_path: Path,
) -> None:
    task, image = asyncio.run(_reaped(tmp_path, attempts=3))  # [task] max_attempts
    assert task.status == "failure" and "Interrupted" in task.message and task.expires_at
    assert image.status == status.QUEUED and marks.get(image, marks.IMPORT_TASK) is None


def test_a_fresh_lease_is_left_alone_and_a_duplicate_delivery_is_ignored(tmp_path: Path) -> None:
    async def scenario() -> tuple[str, set[str]]:
        services = await _services(tmp_path)
        runtime = TaskRuntime(services)
        task = await _importing(services, runtime.runner, age=0)
        runtime.held.add(task.id)
        await runtime.reap()
        payload = {"task_id": task.id, "image_id": task.image_id, "source": {"kind": "stage"}}
        await runtime.run_import({**payload, "stores": ["file"], "roles": []})
        async with services.db.read() as session:
            state = (await session.get(ImageTask, task.id)).status
        await services.db.dispose()
        return state, runtime.held

    state, held = asyncio.run(scenario())
    assert state == "processing"
    assert len(held) == 1
