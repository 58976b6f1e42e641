"""The compute agent: RPC endpoints that make a host's servers match their instance rows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from oslo_config import cfg
from sqlalchemy import select

from kilocloud.compute import notifications, states
from kilocloud.compute.agent import host as host_rows
from kilocloud.compute.agent import records
from kilocloud.compute.agent.rebuild import RebuildMixin
from kilocloud.compute.drivers.base import Driver, ImageInfo, PowerState
from kilocloud.compute.images import HttpImageSource
from kilocloud.compute.models import Instance
from kilocloud.compute.scheduler import claims
from kilocloud.core.db import Database, utcnow
from kilocloud.core.notify import Notifier

LOG = logging.getLogger(__name__)


class NoDriver(Exception):
    """No driver on this host handles the image."""


class ComputeAgent(RebuildMixin):
    """One host's agent: builds, powers, and deletes the servers placed on it."""

    def __init__(
        self,
        conf: cfg.ConfigOpts,
        db: Database,
        notifier: Notifier,
        host: str,
        drivers: list[Driver],
    ) -> None:
        self.conf, self.db, self.notifier = conf, db, notifier
        self.host, self.drivers = host, drivers
        self._locks: dict[str, asyncio.Lock] = {}

    def driver_for(self, image: ImageInfo) -> Driver:
        """The first driver that handles `image`."""
        for driver in self.drivers:
            if driver.handles(image):
                return driver
        raise NoDriver(f"No driver on host {self.host} can run image {image.id}")

    async def notify(self, row: Instance, event: str, fault: dict | None = None) -> None:
        """Emit instance.<event> from this host."""
        priority = "ERROR" if event.endswith(".error") else "INFO"
        payload = notifications.instance_payload(row, fault)
        await self.notifier.notify(None, "compute", f"instance.{event}", payload, priority)

    async def start(self) -> None:
        """Register the host and reconcile power states."""
        await host_rows.register(self.db, self.conf, self.host, self.drivers)
        await self.sync_power_states()

    async def heartbeat(self) -> None:
        """One heartbeat."""
        await host_rows.heartbeat(self.db, self.host)

    async def build_and_run_instance(
        self, instance_uuid: str, token: str, image_url: str, request_id: str | None = None
    ) -> None:
        """Spawn the server; ACTIVE on success, ERROR with a fault (and nothing left) if not."""
        row = await records.load(self.db, instance_uuid)
        if row is None or row.deleted or row.task_state == "deleting":
            return
        await records.event(
            self.db, row.uuid, request_id, "compute_build_and_run_instance", self.host, started=True
        )
        row = await records.save(self.db, row.uuid, task_state="spawning")
        await self.notify(row, "create.start")
        try:
            spec = records.spec(row)
            driver = self.driver_for(spec.image)
            await driver.spawn(spec, HttpImageSource(image_url, token))
        except Exception as exc:  # any failure to spawn puts the server in ERROR
            await self._failed_build(row, exc, request_id)
            return
        await records.event(
            self.db, row.uuid, request_id, "compute_build_and_run_instance", self.host
        )
        now = await records.load(self.db, row.uuid)
        if now is None or now.deleted or now.task_state == "deleting":
            await driver.destroy(row.uuid)  # deleted while spawning: nothing stays behind
            return
        row = await records.save(
            self.db,
            row.uuid,
            vm_state=states.ACTIVE,
            task_state=None,
            power_state=int(PowerState.RUNNING),
            launched_at=utcnow(),
            progress=100,
        )
        await self.notify(row, "create.end")

    async def _failed_build(self, row: Instance, exc: Exception, request_id: str | None) -> None:
        LOG.warning("build of %s on %s failed: %s", row.uuid, self.host, exc)
        for driver in self.drivers:
            try:
                await driver.destroy(row.uuid)
            except Exception:  # cleanup of a failed build is best effort, each driver tried
                LOG.exception("cleanup of %s in %s failed", row.uuid, driver.name)
        async with self.db.transaction() as conn:
            await claims.release(conn, row.uuid)
        fault = records.fault(exc)
        await records.event(
            self.db, row.uuid, request_id, "compute_build_and_run_instance", self.host, exc=exc
        )
        row = await records.save(
            self.db,
            row.uuid,
            vm_state=states.ERROR,
            task_state=None,
            power_state=0,
            fault=fault,
            host=None,
            node=None,
        )
        await self.notify(row, "create.error", fault)

    async def terminate_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        """Destroy the server everywhere on this host and mark the row deleted."""
        row = await records.load(self.db, instance_uuid)
        if row is None or row.deleted:
            return
        await self.notify(row, "delete.start")
        for driver in self.drivers:
            await driver.destroy(instance_uuid)
        await records.mark_deleted(self.db, instance_uuid)
        row = await records.load(self.db, instance_uuid)
        await self.notify(row, "delete.end")

    async def _power(
        self,
        uuid: str,
        event: str,
        action: Callable[[Driver, Any], Awaitable[None]],
        vm_state: str,
        power: PowerState,
        request_id: str | None,
    ) -> None:
        row = await records.load(self.db, uuid)
        if row is None or row.deleted:
            return
        name = f"compute_{event}_instance"
        await records.event(self.db, uuid, request_id, name, self.host, started=True)
        await self.notify(row, f"{event}.start")
        try:
            spec = records.spec(row)
            await action(self.driver_for(spec.image), spec)
        except Exception as exc:  # the action failed: back to the state it had
            LOG.warning("%s of %s failed: %s", event, uuid, exc)
            await records.event(self.db, uuid, request_id, name, self.host, exc=exc)
            await records.save(self.db, uuid, task_state=None)
            return
        await records.event(self.db, uuid, request_id, name, self.host)
        row = await records.save(
            self.db, uuid, vm_state=vm_state, task_state=None, power_state=int(power)
        )
        await self.notify(row, f"{event}.end")

    async def stop_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "power_off",
            lambda d, s: d.power_off(s.uuid),
            states.STOPPED,
            PowerState.SHUTDOWN,
            request_id,
        )

    async def start_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "power_on",
            lambda d, s: d.power_on(s),
            states.ACTIVE,
            PowerState.RUNNING,
            request_id,
        )

    async def reboot_instance(
        self, instance_uuid: str, hard: bool, request_id: str | None = None
    ) -> None:
        await self._power(
            instance_uuid,
            "reboot",
            lambda d, s: d.reboot(s, hard),
            states.ACTIVE,
            PowerState.RUNNING,
            request_id,
        )

    async def pause_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "pause",
            lambda d, s: d.pause(s.uuid),
            states.PAUSED,
            PowerState.PAUSED,
            request_id,
        )

    async def unpause_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "unpause",
            lambda d, s: d.unpause(s.uuid),
            states.ACTIVE,
            PowerState.RUNNING,
            request_id,
        )

    async def suspend_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "suspend",
            lambda d, s: d.suspend(s.uuid),
            states.SUSPENDED,
            PowerState.SUSPENDED,
            request_id,
        )

    async def resume_instance(self, instance_uuid: str, request_id: str | None = None) -> None:
        await self._power(
            instance_uuid,
            "resume",
            lambda d, s: d.resume(s),
            states.ACTIVE,
            PowerState.RUNNING,
            request_id,
        )

    async def get_console_output(self, instance_uuid: str, length: int | None) -> str:
        """The server's console log, the last `length` lines when given."""
        row = await records.load(self.db, instance_uuid)
        spec = records.spec(row)
        return await self.driver_for(spec.image).console_output(instance_uuid, length)

    async def snapshot_instance(
        self,
        instance_uuid: str,
        image_id: str,
        token: str,
        image_url: str,
        request_id: str | None = None,
    ) -> None:
        """Upload the server's disk or filesystem into the image `image_id` made for it."""
        row = await records.load(self.db, instance_uuid)
        await self.notify(row, "snapshot.start")
        try:
            spec = records.spec(row)
            source = HttpImageSource(image_url, token, target=image_id)
            await self.driver_for(spec.image).snapshot(instance_uuid, image_id, source)
        except Exception:  # the image stays queued; the server goes on as it was
            LOG.exception("snapshot of %s failed", instance_uuid)
        row = await records.save(self.db, instance_uuid, task_state=None)
        await self.notify(row, "snapshot.end")

    async def sync_power_states(self) -> None:
        """Record each server's power state; a server that stopped on its own is SHUTOFF."""
        async with self.db.read() as session:
            rows = list(
                await session.scalars(
                    select(Instance).where(Instance.host == self.host, Instance.deleted.is_(False))
                )
            )
        for row in rows:
            if row.task_state is not None or row.vm_state == states.BUILDING:
                continue
            try:
                power = await self.driver_for(ImageInfo(**row.image)).power_state(row.uuid)
            except Exception:  # a driver that cannot tell leaves the row as it is
                LOG.exception("power state of %s unknown", row.uuid)
                continue
            values: dict[str, Any] = {"power_state": int(power)}
            if row.vm_state == states.ACTIVE and power not in (PowerState.RUNNING,):
                values["vm_state"] = states.STOPPED
            if power != row.power_state or "vm_state" in values:
                await records.save(self.db, row.uuid, **values)
