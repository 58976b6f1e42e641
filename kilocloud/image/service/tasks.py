"""The tasks API: create import and convert tasks, list and show them, and the image's tasks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, true
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core import outbound, pagination
from kilocloud.core import tasks as queueing
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, NotFound
from kilocloud.deps import Services
from kilocloud.image import status, task_config
from kilocloud.image.models import Image, utcnow
from kilocloud.image.service import access, listing
from kilocloud.image.service.images import Images
from kilocloud.image.task_models import ImageTask
from kilocloud.image.tasks import lifecycle, marks, task_types
from kilocloud.image.tasks.runtime import IMPORT, TaskRuntime

SORT_KEYS = {
    "created_at": ImageTask.created_at,
    "updated_at": ImageTask.updated_at,
    "id": ImageTask.id,
    "type": ImageTask.type,
    "status": ImageTask.status,  # what glanceclient sorts by unless told otherwise
}
STATUSES = (lifecycle.PENDING, lifecycle.PROCESSING, lifecycle.SUCCESS, lifecycle.FAILURE)


class Tasks:
    """Task rows as the API sees them, and the hand-off of their jobs to the queue."""

    def __init__(
        self,
        services: Services,
        images: Images,
        queue: queueing.TaskQueue,
        runtime: TaskRuntime | None,
    ) -> None:
        self.services = services
        self.images = images
        self.queue = queue
        self.runtime = runtime  # set when this process runs the jobs itself

    def record(
        self, session: AsyncSession, ctx: RequestContext, type_: str, input_: dict
    ) -> ImageTask:
        """Add a pending task row to `session`'s transaction."""
        holder = self.runtime.runner if self.runtime else None
        task = lifecycle.new_task(ctx, type_, input_, None, holder)
        session.add(task)
        return task

    async def started(self, task: ImageTask) -> None:
        """Announce the committed task and queue its job."""
        if self.runtime is not None:
            self.runtime.pending.add(task.id)
        await lifecycle.notify(self.services, task, "task.create")
        await self.queue.enqueue(IMPORT, task.job)

    async def redispatch(self) -> None:
        """Send again the jobs of tasks no worker took (lost messages, tasks handed back)."""
        for task in await lifecycle.unclaimed(self.services):
            if self.runtime is not None:
                self.runtime.pending.add(task.id)
            await self.queue.enqueue(IMPORT, task.job)

    async def create(self, ctx: RequestContext, body: Any) -> ImageTask:
        """A pending import or convert task, its new image queued for the data."""
        self._enforce(ctx, "add_task")
        request = task_types.parse(body, self.services.conf.taskflow_executor.conversion_format)
        if request.source["kind"] == "url":
            outbound.check_url(task_config.filter_rules(self.services.conf), request.source["uri"])
        else:
            await self._check_source(ctx, request.source["image_id"])
        image = await self.images.create(ctx, request.image)
        async with self.services.db.write() as session:
            task = self.record(session, ctx, request.type, request.input)
            task.image_id = image.id
            image = await session.get(Image, image.id, with_for_update=True)
            marks.put(image, marks.IMPORT_TASK, task.id)
            image.status, image.updated_at = status.IMPORTING, utcnow()
            task.job = {
                "task_id": task.id,
                "image_id": image.id,
                "source": request.source,
                "stores": [self.services.stores.default],
                "convert_to": request.convert_to,
                "roles": list(ctx.roles),
            }
        await self.started(task)
        return task

    async def _check_source(self, ctx: RequestContext, image_id: str) -> None:
        source = await self.images.get(ctx, image_id)
        if source.status != status.ACTIVE:
            raise Conflict(f"Image {image_id} is not active: it cannot be converted.")
        async with self.services.db.read() as session:
            target = await access.target(session, ctx, source)
        self.services.policy.enforce(ctx, "download_image", target)

    async def get(self, ctx: RequestContext, task_id: str) -> ImageTask:
        """The task, when `ctx` may see it."""
        self._enforce(ctx, "get_task")
        async with self.services.db.read() as session:
            task = await session.scalar(
                select(ImageTask).where(ImageTask.id == task_id, _visible(ctx))
            )
        if task is None:
            raise NotFound(f"Task with the given ID {task_id} not found")
        return task

    async def list(
        self, ctx: RequestContext, params: dict[str, str]
    ) -> tuple[list[ImageTask], str | None]:
        """A page of the caller's tasks, filtered by type and status, newest first by default."""
        self._enforce(ctx, "get_tasks")
        limit = pagination.parse_limit(params.get("limit"), *listing.page_sizes(self.services.conf))
        key = params.get("sort_key", "created_at")
        if key not in SORT_KEYS:
            raise BadRequest(f"Invalid sort key: {key}; use one of {', '.join(SORT_KEYS)}.")
        sort = [(SORT_KEYS[key], pagination.check_direction(params.get("sort_dir", "desc")))]
        sort.append((ImageTask.id, sort[0][1]))
        query = select(ImageTask).where(_visible(ctx), *self._filters(params))
        async with self.services.db.read() as session:
            if params.get("marker"):
                marked = await self._marker(session, ctx, params["marker"])
                query = query.where(pagination.after(sort, [getattr(marked, key), marked.id]))
            query = query.order_by(*pagination.order_by(sort)).limit(limit)
            found = list((await session.execute(query)).scalars())
        return found, pagination.next_marker(found, limit)

    @staticmethod
    def _filters(params: dict[str, str]) -> list[Any]:
        conditions = []
        if "status" in params:
            if params["status"] not in STATUSES:
                raise BadRequest(f"Invalid status value: {params['status']}")
            conditions.append(ImageTask.status == params["status"])
        if "type" in params:
            conditions.append(ImageTask.type == params["type"])
        return conditions

    async def of_image(self, ctx: RequestContext, image_id: str) -> list[ImageTask]:
        """The import tasks of an image the caller may see."""
        async with self.services.db.read() as session:
            image = await access.load(session, ctx, image_id)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "get_image", target)
            query = select(ImageTask).where(ImageTask.image_id == image_id)
            return list((await session.execute(query.order_by(ImageTask.created_at))).scalars())

    @staticmethod
    async def _marker(session: AsyncSession, ctx: RequestContext, marker: str) -> ImageTask:
        row = await session.scalar(select(ImageTask).where(ImageTask.id == marker, _visible(ctx)))
        if row is None:
            raise BadRequest(f"Invalid marker {marker}: no such task.")
        return row

    def _enforce(self, ctx: RequestContext, rule: str) -> None:
        self.services.policy.enforce(ctx, "tasks_api_access", {"project_id": ctx.project_id})
        self.services.policy.enforce(ctx, rule, {"project_id": ctx.project_id})


def _visible(ctx: RequestContext) -> Any:
    return true() if ctx.is_admin else ImageTask.owner == ctx.project_id
