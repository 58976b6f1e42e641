"""The driver seam: what the compute agent asks of a driver and what it gives one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol


@dataclass(frozen=True)
class ImageInfo:
    """An image as the image service records it."""

    id: str
    name: str
    container_format: str
    disk_format: str
    size: int | None
    checksum: str | None
    os_hash_algo: str | None
    os_hash_value: str | None
    min_ram: int
    min_disk: int
    properties: dict[str, str]  # kernel_id, ramdisk_id, os_command_line...


@dataclass(frozen=True)
class FlavorInfo:
    """The sizes a server gets."""

    name: str
    vcpus: int
    memory_mb: int
    root_gb: int
    ephemeral_gb: int
    swap_mb: int
    extra_specs: dict[str, str]


@dataclass(frozen=True)
class Vif:
    """One port to plug, from the network service."""

    port_id: str
    network_id: str
    mac: str
    mtu: int
    fixed_ips: list[str]
    device: str  # the host-side device name (tap / veth), chosen by the network side


@dataclass(frozen=True)
class InstanceSpec:
    """Everything a driver needs to run one server."""

    uuid: str
    name: str
    hostname: str
    project_id: str
    user_id: str
    image: ImageInfo
    flavor: FlavorInfo
    user_data: bytes | None
    metadata: dict[str, str]
    config_drive: bool
    key_name: str | None
    key_data: str | None
    launch_index: int
    vifs: list[Vif]


class PowerState(IntEnum):
    """Nova's power state values."""

    NOSTATE = 0
    RUNNING = 1
    PAUSED = 3
    SHUTDOWN = 4
    CRASHED = 6
    SUSPENDED = 7


class ImageSource(Protocol):
    """How a driver reads and writes images; the agent gives one."""

    async def info(self, image_id: str) -> ImageInfo: ...

    def download(self, image_id: str) -> AsyncIterator[bytes]: ...

    async def upload(
        self,
        name: str,
        container_format: str,
        disk_format: str,
        data: AsyncIterator[bytes],
        properties: dict[str, str],
    ) -> str: ...  # the new image's id


class Driver(Protocol):
    """A way to run servers on this host: containers, virtual machines, or a fake."""

    name: str  # "container" | "qemu" | "fake"

    async def probe(self) -> bool: ...  # usable on this host (time-boxed, never hangs)

    def handles(self, image: ImageInfo) -> bool: ...

    def resources(self) -> dict[str, int]: ...  # vcpus, memory_mb, local_gb of this host

    async def spawn(self, spec: InstanceSpec, images: ImageSource) -> None: ...

    async def destroy(self, uuid: str) -> None: ...  # idempotent; leaves nothing behind

    async def power_off(self, uuid: str) -> None: ...

    async def power_on(self, spec: InstanceSpec) -> None: ...

    async def reboot(self, spec: InstanceSpec, hard: bool) -> None: ...

    async def pause(self, uuid: str) -> None: ...

    async def unpause(self, uuid: str) -> None: ...

    async def suspend(self, uuid: str) -> None: ...

    async def resume(self, spec: InstanceSpec) -> None: ...

    async def power_state(self, uuid: str) -> PowerState: ...  # NOSTATE when it does not exist

    async def list_instances(self) -> list[str]: ...  # uuids it runs on this host

    async def console_output(self, uuid: str, length: int | None) -> str: ...

    async def snapshot(self, uuid: str, name: str, images: ImageSource) -> str: ...  # image id
