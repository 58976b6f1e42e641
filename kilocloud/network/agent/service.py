"""The running agent: sync on start, on every signalled change and periodically; heartbeats."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from kilocloud.network.agent.agent import DataPlaneAgent
from kilocloud.network.agent.state import DataPlane

LOG = logging.getLogger(__name__)

Source = Callable[[], Awaitable[DataPlane]]
Beat = Callable[[], Awaitable[None]]


class AgentService:
    """Keeps one DataPlaneAgent in step with its source of desired state."""

    def __init__(
        self,
        agent: DataPlaneAgent,
        source: Source,
        heartbeat: Beat | None = None,
        report_interval: float = 30.0,
        resync_interval: float = 10.0,
    ) -> None:
        self.agent = agent
        self.source = source
        self.heartbeat = heartbeat
        self.report_interval = report_interval
        self.resync_interval = resync_interval
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        """First sync (the data plane rebuilt from the desired state), then the loops."""
        await self._sync_once(full=True)
        self._tasks.append(asyncio.create_task(self._sync_loop()))
        if self.heartbeat is not None:
            self._tasks.append(asyncio.create_task(self._beat_loop()))

    def changed(self) -> None:
        """Something in the desired state changed: sync soon (bursts coalesce into one sync)."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop the loops; the data plane stays as it is (it survives agent restarts)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.agent.metadata is not None:
            await self.agent.metadata.close()

    async def _sync_loop(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self.resync_interval)
                full = False
            except TimeoutError:
                full = True  # nothing signalled for a while: check everything
            self._wake.clear()
            await self._sync_once(full)

    async def _sync_once(self, full: bool) -> None:
        try:
            await self.agent.sync(await self.source(), full)
        except Exception:
            LOG.exception("network agent sync failed; retrying on the next change")

    async def _beat_loop(self) -> None:
        while True:
            try:
                await self.heartbeat()
            except Exception:
                LOG.exception("network agent heartbeat failed")
            await asyncio.sleep(self.report_interval)
