"""The conductor: places new servers with the scheduler and casts them to their hosts' agents."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from kilocloud.compute import states
from kilocloud.compute.agent import records
from kilocloud.compute.scheduler import NoValidHost, Scheduler
from kilocloud.compute.scheduler.filters import Request
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.server_groups import hosts_of_members

LOG = logging.getLogger(__name__)


@dataclass
class BuildRequest:
    """What placing and building one batch of servers needs."""

    uuids: list[str]
    placement: Request
    group_id: int | None
    token: str
    image_url: str
    request_id: str


class Conductor:
    """Background placement and build casts, one task per create request."""

    def __init__(self, deps: ComputeDeps, scheduler: Scheduler) -> None:
        self.deps, self.scheduler = deps, scheduler
        self._jobs: set[asyncio.Task] = set()

    def build(self, request: BuildRequest) -> None:
        """Start placing and building the servers; the API call returns at once."""
        job = asyncio.create_task(self._build(request))
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    async def _build(self, request: BuildRequest) -> None:
        for uuid in request.uuids:
            try:
                await self._one(request, uuid)
            except Exception as exc:  # a server that cannot be cast is left in ERROR
                LOG.exception("build of %s failed before reaching a host", uuid)
                await self.scheduler.release(uuid)
                await records.save(
                    self.deps.db,
                    uuid,
                    vm_state=states.ERROR,
                    task_state=None,
                    host=None,
                    node=None,
                    fault=records.fault(exc),
                )

    async def _one(self, request: BuildRequest, uuid: str) -> None:
        if request.group_id is not None:
            request.placement.group_hosts = await hosts_of_members(self.deps.db, request.group_id)
        try:
            placed = await self.scheduler.place(uuid, request.placement, request.group_id)
        except NoValidHost as exc:
            await records.save(
                self.deps.db, uuid, vm_state=states.ERROR, task_state=None, fault=records.fault(exc)
            )
            return
        await records.save(self.deps.db, uuid, task_state="spawning")
        await self.deps.rpc.cast(
            placed.host,
            "build_and_run_instance",
            instance_uuid=uuid,
            token=request.token,
            image_url=request.image_url,
            request_id=request.request_id,
        )

    async def close(self) -> None:
        """Let running placements finish (briefly)."""
        if self._jobs:
            await asyncio.wait(list(self._jobs), timeout=10)
