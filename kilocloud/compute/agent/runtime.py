"""An agent running: its drivers built and probed, its RPC server, heartbeats and power syncs."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from oslo_config import cfg

from kilocloud.compute import rpc
from kilocloud.compute.agent.manager import ComputeAgent
from kilocloud.compute.drivers import DRIVERS
from kilocloud.compute.drivers.base import Driver
from kilocloud.core import registry
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier

LOG = logging.getLogger(__name__)
PROBE_SECONDS = 20


async def usable_drivers(conf: cfg.ConfigOpts, state_dir: Path, names: list[str]) -> list[Driver]:
    """The named drivers that load and whose probe succeeds on this host."""
    found = []
    for name in names:
        try:
            driver = registry.load(DRIVERS, name)(conf, state_dir / name)
            usable = await asyncio.wait_for(driver.probe(), PROBE_SECONDS)
        except Exception as exc:  # a driver that cannot load or probe is left out, with why
            LOG.warning("compute driver %s is not usable here: %s", name, exc)
            continue
        if usable:
            found.append(driver)
        else:
            LOG.warning("compute driver %s: probe failed on this host", name)
    return found


class AgentRuntime:
    """One agent's life: start (register, sync), serve RPC, heartbeat and sync periodically."""

    def __init__(self, conf: cfg.ConfigOpts, agent: ComputeAgent, transport: object) -> None:
        self.conf, self.agent, self.transport = conf, agent, transport
        self._loops: list[asyncio.Task] = []
        self._server: rpc.AgentServer | None = None

    async def start(self) -> None:
        """Register the host, reconcile, then take RPC calls and keep heartbeating."""
        await self.agent.start()
        if isinstance(self.transport, rpc.LocalRPC):
            self.transport.register(self.agent.host, self.agent)
        else:
            self._server = rpc.AgentServer(self.conf, self.agent.host, self.agent)
            await self._server.start()
        opts = self.conf.compute
        self._loops.append(
            asyncio.create_task(self._every(opts.report_interval, self.agent.heartbeat))
        )
        if opts.sync_power_state_interval > 0:
            self._loops.append(
                asyncio.create_task(
                    self._every(opts.sync_power_state_interval, self.agent.sync_power_states)
                )
            )

    async def _every(self, seconds: float, func) -> None:  # noqa: ANN001
        while True:
            await asyncio.sleep(seconds)
            try:
                await func()
            except Exception:  # a database hiccup must not end the loop
                LOG.exception("periodic %s failed", func.__name__)

    async def stop(self) -> None:
        """Stop the loops and the RPC server."""
        for loop in self._loops:
            loop.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        if self._server is not None:
            await self._server.stop()


async def local_runtimes(
    conf: cfg.ConfigOpts, db: Database, notifier: Notifier, transport: object, state_dir: Path
) -> list[AgentRuntime]:
    """The agents `kilocloud up` runs: this host's, and [compute] fake_hosts for scale tests."""
    found = []
    drivers = await usable_drivers(conf, state_dir / "compute", conf.compute.compute_drivers)
    found.append(
        AgentRuntime(conf, ComputeAgent(conf, db, notifier, conf.compute.host, drivers), transport)
    )
    for host in conf.compute.fake_hosts:
        fake = await usable_drivers(conf, state_dir / "compute" / host, ["fake"])
        found.append(AgentRuntime(conf, ComputeAgent(conf, db, notifier, host, fake), transport))
    return found
