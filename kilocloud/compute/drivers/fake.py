"""Nova-style fake driver: servers that exist only in this process, for scale and API tests.

Never a default: a host runs it only when [compute] compute_drivers names `fake`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from oslo_config import cfg

from kilocloud.compute.drivers.base import ImageInfo, ImageSource, InstanceSpec, PowerState

FAKE_OPTS = [
    cfg.IntOpt("vcpus", default=1000, min=1, help="vCPUs a fake host reports."),
    cfg.IntOpt("memory_mb", default=800000, min=1, help="MB of RAM a fake host reports."),
    cfg.IntOpt("local_gb", default=600000, min=1, help="GB of disk a fake host reports."),
    cfg.FloatOpt("spawn_seconds", default=0.0, min=0.0, help="How long a fake spawn takes."),
]
OPTION_GROUPS = {"fake_driver": "FAKE_OPTS"}
CONSOLE = "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"


class FakeDriver:
    """Records power states in memory; every image is one it can run."""

    name = "fake"

    def __init__(self, conf: cfg.ConfigOpts, state_dir: Path) -> None:
        self.opts = conf.fake_driver
        self.instances: dict[str, PowerState] = {}

    async def probe(self) -> bool:
        return True

    def handles(self, image: ImageInfo) -> bool:
        return True

    def resources(self) -> dict[str, int]:
        return {
            "vcpus": self.opts.vcpus,
            "memory_mb": self.opts.memory_mb,
            "local_gb": self.opts.local_gb,
        }

    async def spawn(self, spec: InstanceSpec, images: ImageSource) -> None:
        if self.opts.spawn_seconds:
            await asyncio.sleep(self.opts.spawn_seconds)
        self.instances[spec.uuid] = PowerState.RUNNING

    async def destroy(self, uuid: str) -> None:
        self.instances.pop(uuid, None)

    def _set(self, uuid: str, state: PowerState) -> None:
        if uuid not in self.instances:
            raise LookupError(f"instance {uuid} is not on this host")
        self.instances[uuid] = state

    async def power_off(self, uuid: str) -> None:
        self._set(uuid, PowerState.SHUTDOWN)

    async def power_on(self, spec: InstanceSpec) -> None:
        self._set(spec.uuid, PowerState.RUNNING)

    async def reboot(self, spec: InstanceSpec, hard: bool) -> None:
        self._set(spec.uuid, PowerState.RUNNING)

    async def pause(self, uuid: str) -> None:
        self._set(uuid, PowerState.PAUSED)

    async def unpause(self, uuid: str) -> None:
        self._set(uuid, PowerState.RUNNING)

    async def suspend(self, uuid: str) -> None:
        self._set(uuid, PowerState.SUSPENDED)

    async def resume(self, spec: InstanceSpec) -> None:
        self._set(spec.uuid, PowerState.RUNNING)

    async def power_state(self, uuid: str) -> PowerState:
        return self.instances.get(uuid, PowerState.NOSTATE)

    async def list_instances(self) -> list[str]:
        return list(self.instances)

    async def console_output(self, uuid: str, length: int | None) -> str:
        lines = CONSOLE.splitlines()
        return "\n".join(lines[-length:] if length else lines)

    async def snapshot(self, uuid: str, name: str, images: ImageSource) -> str:
        async def nothing():  # noqa: ANN202 - an empty image body
            yield b""

        return await images.upload(name, "bare", "raw", nothing(), {})
