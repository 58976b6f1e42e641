"""TaskRuntime: runs image jobs in a process (API or worker) and keeps their leases."""

from __future__ import annotations

import logging
from typing import Any

from kilocloud.core import tasks
from kilocloud.deps import Services
from kilocloud.image.service import staging
from kilocloud.image.tasks import import_image, lifecycle, outcome, plugins

LOG = logging.getLogger(__name__)
IMPORT = "image.import"
PURGE_SECONDS = 600


class TaskRuntime:
    """The image job handlers of one process, the tasks it holds, and its periodic chores."""

    def __init__(self, services: Services, runner: str | None = None) -> None:
        self.services = services
        self.runner = runner or tasks.runner_id()
        self.plugins = plugins.load(services.conf.image_import_opts.image_import_plugins)
        self.pending: set[str] = set()  # queued in this process, waiting for a slot
        self.held: set[str] = set()  # claimed and running here

    def handlers(self) -> dict[str, tasks.Handler]:
        """Job kind -> handler, for a tasks.Runner."""
        return {IMPORT: self.run_import}

    def start(self, runner: tasks.Runner) -> None:
        """Keep leases fresh, end abandoned tasks and purge expired ones, on `runner`'s loop."""
        lease = self.services.conf.task.lease_seconds
        runner.periodic(lease / 3, self.beat)
        runner.periodic(lease / 2, self.reap)
        runner.periodic(PURGE_SECONDS, self.purge)

    async def run_import(self, payload: dict[str, Any]) -> None:
        """Claim and carry out one import task."""
        task_id = payload["task_id"]
        self.pending.discard(task_id)
        # a second delivery of a job already running here (or ended) is not claimed: ignore it
        if not await import_image.claimed(self.services, task_id, self.runner):
            return
        self.held.add(task_id)
        try:
            await self._import(task_id, payload)
        finally:
            self.held.discard(task_id)

    async def _import(self, task_id: str, payload: dict[str, Any]) -> None:
        try:
            work = await import_image.load_work(
                self.services, task_id, payload["image_id"], payload["source"], payload["roles"]
            )
        except Exception as exc:  # the image vanished between enqueue and start
            await outcome.fail(self.services, task_id, import_image.message(exc), self.runner, [])
            return
        await import_image.run(work, self.runner, self.plugins, payload)

    async def beat(self) -> None:
        """Refresh the heartbeat of every task this process holds."""
        await lifecycle.heartbeat(self.services, self.held | self.pending)

    async def reap(self) -> None:
        """Hand back (or, after the last attempt, fail) the tasks whose holder stopped reporting."""
        for task in await lifecycle.stale(self.services):
            if task.id in self.held or task.id in self.pending:
                continue
            if lifecycle.resumable(self.services, task):
                if await lifecycle.hand_back(self.services, task.id, task.runner):
                    LOG.warning(
                        "task %s was abandoned by %s after attempt %d: queued for another run",
                        *(task.id, task.runner, task.attempts),
                    )
                continue
            LOG.warning("task %s was abandoned by %s: ending it in failure", task.id, task.runner)
            ended = await outcome.fail(self.services, task.id, import_image.INTERRUPTED, None, [])
            if ended and task.image_id:  # what the stopped process left in the staging area
                staging.discard_all(self.services.conf, task.image_id)

    async def purge(self) -> None:
        """Delete tasks past their expiry."""
        await lifecycle.purge_expired(self.services)
