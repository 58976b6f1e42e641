"""Task rows through their life: pending -> processing -> success | failure, under a lease.

The process holding a task refreshes its heartbeat; any process may hand back to the queue (or,
after its last attempt, end in failure) a task whose holder stopped reporting, so a crash never
leaves a task in processing.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.deps import Services
from kilocloud.image.models import utcnow
from kilocloud.image.service.records import isotime
from kilocloud.image.task_models import ImageTask

PENDING, PROCESSING, SUCCESS, FAILURE = "pending", "processing", "success", "failure"
OPEN = (PENDING, PROCESSING)


def task_dict(task: ImageTask, detail: bool = True) -> dict[str, Any]:
    """The task entity as the tasks API shows it (lists leave out input and result)."""
    out: dict[str, Any] = {
        "id": task.id,
        "type": task.type,
        "status": task.status,
        "owner": task.owner,
        "expires_at": isotime(task.expires_at),
        "created_at": isotime(task.created_at),
        "updated_at": isotime(task.updated_at),
    }
    if detail:
        out.update(input=task.input, result=task.result, message=task.message)
    return out


def new_task(
    ctx: RequestContext, type_: str, input_: dict, image_id: str | None, runner: str | None
) -> ImageTask:
    """A pending task row owned by the caller's project."""
    now = utcnow()
    return ImageTask(
        id=str(uuid.uuid4()),
        type=type_,
        status=PENDING,
        owner=ctx.project_id,
        user_id=ctx.user_id,
        request_id=ctx.request_id,
        image_id=image_id,
        input=input_,
        result=None,
        message="",
        runner=runner,
        heartbeat_at=now,
        created_at=now,
        updated_at=now,
    )


async def claim(services: Services, task_id: str, runner: str) -> ImageTask | None:
    """Move a pending task to processing for `runner`; None when it is not pending any more."""
    async with services.db.write() as session:
        task = await session.get(ImageTask, task_id, with_for_update=True)
        if task is None or task.status != PENDING:
            return None
        task.status, task.runner = PROCESSING, runner
        task.attempts += 1
        task.heartbeat_at = task.updated_at = utcnow()
    await notify(services, task, "task.run")
    await notify(services, task, "task.processing")
    return task


async def heartbeat(services: Services, task_ids: set[str]) -> None:
    """Tell every process that the tasks in `task_ids` are still held."""
    if not task_ids:
        return
    async with services.db.write() as session:
        await session.execute(
            update(ImageTask)
            .where(ImageTask.id.in_(list(task_ids)), ImageTask.status.in_(OPEN))
            .values(heartbeat_at=utcnow())
        )


def end(services: Services, task: ImageTask, result: dict | None, message: str = "") -> None:
    """Mark `task` succeeded (no message) or failed (with one), inside the caller's session."""
    now = utcnow()
    task.status = FAILURE if message else SUCCESS
    task.result, task.message = result, message[:4000]
    task.updated_at = now
    hours = services.conf.task.task_time_to_live
    task.expires_at = now + datetime.timedelta(hours=hours)


async def locked(session: AsyncSession, task_id: str, runner: str) -> ImageTask | None:
    """The task, locked, if `runner` still holds it in processing."""
    task = await session.get(ImageTask, task_id, with_for_update=True)
    if task is None or task.status != PROCESSING or task.runner != runner:
        return None
    return task


async def stale(services: Services) -> list[ImageTask]:
    """Open tasks whose holder stopped reporting, or that no worker took in time."""
    now = utcnow()
    lease = now - datetime.timedelta(seconds=services.conf.task.lease_seconds)
    waited = now - datetime.timedelta(seconds=services.conf.task.pending_timeout)
    query = select(ImageTask).where(
        or_(
            and_(
                ImageTask.status.in_(OPEN),
                ImageTask.runner.is_not(None),
                ImageTask.heartbeat_at < lease,
            ),
            and_(ImageTask.status == PENDING, ImageTask.updated_at < waited),
        ),
    )
    async with services.db.read() as session:
        return list((await session.execute(query)).scalars())


def resumable(services: Services, task: ImageTask) -> bool:
    """Whether a task its holder abandoned may run again (its data stays where it was)."""
    return task.runner is not None and task.attempts < services.conf.task.max_attempts


async def hand_back(services: Services, task_id: str, runner: str) -> bool:
    """Put a task `runner` holds back to pending, to be sent again at once; False if not held."""
    async with services.db.write() as session:
        task = await session.get(ImageTask, task_id, with_for_update=True)
        if task is None or task.status not in OPEN or task.runner != runner:
            return False
        now = utcnow()
        task.status, task.runner, task.updated_at = PENDING, None, now
        # older than a redispatch period: the next redispatch pass sends it to the workers
        task.heartbeat_at = now - datetime.timedelta(
            seconds=services.conf.task.redispatch_seconds + 1
        )
    return True


async def unclaimed(services: Services) -> list[ImageTask]:
    """Pending tasks no worker has taken since they were last sent, marked as sent again now."""
    since = utcnow() - datetime.timedelta(seconds=services.conf.task.redispatch_seconds)
    query = select(ImageTask).where(
        ImageTask.status == PENDING,
        ImageTask.runner.is_(None),
        ImageTask.heartbeat_at < since,
    )
    async with services.db.write() as session:
        found = list((await session.execute(query.with_for_update())).scalars())
        for task in found:
            task.heartbeat_at = utcnow()
    return found


async def purge_expired(services: Services) -> None:
    """Forget finished tasks past their expires_at."""
    async with services.db.write() as session:
        await session.execute(delete(ImageTask).where(ImageTask.expires_at < utcnow()))


async def notify(services: Services, task: ImageTask, event_type: str) -> None:
    """Emit a task.* notification with the task entity as payload."""
    await services.notifier.notify(None, "image", event_type, task_dict(task))
