"""Rebuild and resize on the host: the server destroyed and spawned again."""

from __future__ import annotations

from typing import Any

from kilocloud.compute import states
from kilocloud.compute.agent import records
from kilocloud.compute.drivers.base import PowerState
from kilocloud.compute.images import HttpImageSource
from kilocloud.core.db import utcnow


class RebuildMixin:
    """Rebuild and resize on the host: destroy, then spawn with the new image or flavor."""

    async def _respawn(
        self,
        uuid: str,
        event: str,
        token: str,
        image_url: str,
        vm_state: str,
        request_id: str | None,
        **values: Any,
    ) -> None:
        row = await records.save(self.db, uuid, **values)
        name = f"compute_{event}_instance"
        await records.event(self.db, uuid, request_id, name, self.host, started=True)
        await self.notify(row, f"{event}.start")
        try:
            for driver in self.drivers:
                await driver.destroy(uuid)
            spec = records.spec(row)
            await self.driver_for(spec.image).spawn(spec, HttpImageSource(image_url, token))
        except Exception as exc:  # the server is left in ERROR, its fault recorded
            await records.event(self.db, uuid, request_id, name, self.host, exc=exc)
            await records.save(
                self.db,
                uuid,
                vm_state=states.ERROR,
                task_state=None,
                power_state=0,
                fault=records.fault(exc),
            )
            return
        await records.event(self.db, uuid, request_id, name, self.host)
        row = await records.save(
            self.db,
            uuid,
            vm_state=vm_state,
            task_state=None,
            power_state=int(PowerState.RUNNING),
            launched_at=utcnow(),
        )
        await self.notify(row, f"{event}.end")

    async def rebuild_instance(
        self, instance_uuid: str, token: str, image_url: str, request_id: str | None = None
    ) -> None:
        """The server again from its (new) image."""
        await self._respawn(instance_uuid, "rebuild", token, image_url, states.ACTIVE, request_id)

    async def resize_instance(
        self, instance_uuid: str, token: str, image_url: str, request_id: str | None = None
    ) -> None:
        """The server again with its new flavor, waiting for confirm or revert."""
        row = await records.load(self.db, instance_uuid)
        flavor = row.new_flavor
        await self._respawn(
            instance_uuid,
            "resize_finish",
            token,
            image_url,
            states.RESIZED,
            request_id,
            flavor=flavor,
            old_flavor=row.flavor,
            vcpus=flavor["vcpus"],
            memory_mb=flavor["ram"],
            root_gb=flavor["disk"],
        )

    async def revert_resize(
        self, instance_uuid: str, token: str, image_url: str, request_id: str | None = None
    ) -> None:
        """The server again with its old flavor."""
        row = await records.load(self.db, instance_uuid)
        flavor = row.old_flavor
        await self._respawn(
            instance_uuid,
            "resize_revert",
            token,
            image_url,
            states.ACTIVE,
            request_id,
            flavor=flavor,
            old_flavor=None,
            new_flavor=None,
            vcpus=flavor["vcpus"],
            memory_mb=flavor["ram"],
            root_gb=flavor["disk"],
        )
