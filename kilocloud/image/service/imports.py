"""Interoperable import: stage data (queued -> uploading), then import it (-> importing).

The work itself is a background job; this module checks the request, marks the image and
records the task in one transaction, and hands the job to the task queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from kilocloud.core import outbound
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Conflict, NotFound
from kilocloud.deps import Services
from kilocloud.image import status, task_config
from kilocloud.image.models import Image, utcnow
from kilocloud.image.service import access, records, staging, uploads
from kilocloud.image.service.tasks import Tasks
from kilocloud.image.service.uploads import Uploads
from kilocloud.image.tasks import marks
from kilocloud.image.tasks.import_plan import Plan, plan

NEEDED_STATUS = {"glance-direct": status.UPLOADING, "web-download": status.QUEUED}


class Imports:
    """/stage and /import of one image."""

    def __init__(self, services: Services, tasks: Tasks, uploads: Uploads) -> None:
        self.services = services
        self.tasks, self.uploads = tasks, uploads

    def methods(self) -> list[str]:
        """The enabled import methods."""
        return list(self.services.conf.enabled_import_methods)

    async def stage(self, ctx: RequestContext, image_id: str, chunks: AsyncIterator[bytes]) -> None:
        """Stream data into the staging area; the image is uploading once it is all there."""
        if "glance-direct" not in self.methods():
            raise NotFound("The glance-direct import method is not enabled.")
        await self._begin_stage(ctx, image_id)
        target = staging.path(self.services.conf, image_id)
        try:
            size = await staging.write(target, chunks, self.services.conf.image_size_cap)
        except BaseException:
            await asyncio.shield(self._set_status(image_id, status.UPLOADING, status.QUEUED, None))
            raise
        finally:
            await asyncio.shield(self.uploads.end(image_id))
        image = await self._set_status(image_id, status.UPLOADING, status.UPLOADING, size)
        if image is None:
            staging.discard(target)
            raise Conflict("The image was deleted or changed while its data was being staged.")

    async def _begin_stage(self, ctx: RequestContext, image_id: str) -> None:
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            self.services.policy.enforce(
                ctx, "upload_image", await access.target(session, ctx, image)
            )
            if image.status != status.QUEUED:
                raise Conflict(
                    f"Image status transition from {image.status} to uploading is not allowed"
                )
            if not image.disk_format or not image.container_format:
                raise BadRequest("Properties disk_format and container_format must be set first.")
            image.status, image.updated_at = status.UPLOADING, utcnow()
            await self.uploads.begin(session, image.id, uploads.STAGE)
        await self.services.notifier.notify(
            ctx, "image", "image.prepare", records.notification_payload(image)
        )

    async def _set_status(
        self, image_id: str, expected: str, new: str, size: int | None
    ) -> Image | None:
        async with self.services.db.write() as session:
            image = await session.get(Image, image_id, with_for_update=True)
            if image is None or image.status != expected:
                return None
            image.status, image.updated_at = new, utcnow()
            if size is not None:
                image.size = size
        return image

    async def start(self, ctx: RequestContext, image_id: str, body: Any) -> str:
        """Check an import request, mark the image, record the task and queue the job."""
        request = plan(body, self.methods(), self.services.stores)
        if request.method == "web-download":
            outbound.check_url(task_config.filter_rules(self.services.conf), request.uri)
        async with self.services.db.write() as session:
            image = await access.load(session, ctx, image_id, lock=True)
            target = await access.target(session, ctx, image)
            self.services.policy.enforce(ctx, "modify_image", target)
            if request.method == "copy-image":
                self.services.policy.enforce(ctx, "copy_image", target)
            self._check_image(image, request)
            task = self.tasks.record(session, ctx, "api_image_import", self._input(image, request))
            task.image_id = image.id
            task.job = self._payload(ctx, image, request, task.id)
            self._mark(image, request, task.id)
        await self.tasks.started(task)
        await self.services.notifier.notify(
            ctx, "image", "image.update", records.notification_payload(image)
        )
        return task.id

    def _check_image(self, image: Image, request: Plan) -> None:
        if marks.get(image, marks.IMPORT_TASK):
            raise Conflict(f"Image {image.id} is already being imported.")
        if request.method == "copy-image":
            if image.status != status.ACTIVE:
                raise Conflict("copy-image needs an active image.")
            have = {loc.store for loc in image.locations}
            request.stores = [s for s in request.stores if s not in have]
            if not request.stores:
                raise Conflict("The image is already in every store asked for.")
        elif image.status != NEEDED_STATUS[request.method]:
            raise Conflict(
                f"Image status {image.status} does not allow {request.method}: it must be "
                f"{NEEDED_STATUS[request.method]}."
            )
        if not image.disk_format or not image.container_format:
            raise BadRequest("Properties disk_format and container_format must be set first.")

    def _mark(self, image: Image, request: Plan, task_id: str) -> None:
        marks.put(image, marks.IMPORT_TASK, task_id)
        marks.put(image, marks.IMPORTING_TO, ",".join(request.stores))
        marks.drop(image, marks.FAILED_IMPORT)
        if request.method != "copy-image":
            image.status = status.IMPORTING
        image.updated_at = utcnow()

    @staticmethod
    def _input(image: Image, request: Plan) -> dict[str, Any]:
        return {"image_id": image.id, "import_req": request.body, "backend": request.stores}

    @staticmethod
    def _payload(ctx: RequestContext, image: Image, request: Plan, task_id: str) -> dict:
        source = {
            "glance-direct": {"kind": "stage"},
            "web-download": {"kind": "url", "uri": request.uri},
            "copy-image": {"kind": "image", "image_id": image.id},
        }[request.method]
        return {
            "task_id": task_id,
            "image_id": image.id,
            "source": source,
            "stores": request.stores,
            "must_succeed": request.all_stores_must_succeed,
            "copy": request.method == "copy-image",
            "plugins": True,
            "roles": list(ctx.roles),
        }
