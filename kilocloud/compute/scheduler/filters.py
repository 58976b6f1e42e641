"""Scheduler filters: small pure functions over a host's state and what is asked of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class HostState:
    """What the scheduler knows of one host."""

    host: str
    node_id: int
    zone: str
    up: bool
    enabled: bool
    drivers: list[str]
    vcpus: int
    memory_mb: int
    local_gb: int
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    cpu_ratio: float
    ram_ratio: float
    disk_ratio: float
    instances: int = 0

    def free(self) -> tuple[float, float, float]:
        """(vcpus, MB, GB) still free under the allocation ratios."""
        return (
            self.vcpus * self.cpu_ratio - self.vcpus_used,
            self.memory_mb * self.ram_ratio - self.memory_mb_used,
            self.local_gb * self.disk_ratio - self.local_gb_used,
        )


@dataclass
class Request:
    """One server to place."""

    vcpus: int
    memory_mb: int
    disk_gb: int
    drivers: list[str]  # drivers that can run the image
    zone: str | None = None
    host: str | None = None
    group_policy: str | None = None
    group_hosts: list[str] = field(default_factory=list)  # hosts of the group's members
    max_per_host: int | None = None


def compute_filter(host: HostState, req: Request) -> bool:
    """The host's compute service is enabled and up."""
    return host.enabled and host.up


def availability_zone_filter(host: HostState, req: Request) -> bool:
    """The host is in the asked zone (and is the asked host)."""
    return (req.zone is None or host.zone == req.zone) and (req.host in (None, host.host))


def resources_filter(host: HostState, req: Request) -> bool:
    """vCPUs, RAM and disk fit under the allocation ratios."""
    vcpus, ram, disk = host.free()
    return vcpus >= req.vcpus and ram >= req.memory_mb and disk >= req.disk_gb


def image_filter(host: HostState, req: Request) -> bool:
    """The host runs a driver that handles the image."""
    return any(d in host.drivers for d in req.drivers)


def affinity_filter(host: HostState, req: Request) -> bool:
    """affinity: the group's host; anti-affinity: a host without a member (or under the cap)."""
    if req.group_policy == "affinity":
        return not req.group_hosts or host.host in req.group_hosts
    if req.group_policy == "anti-affinity":
        limit = req.max_per_host or 1
        return req.group_hosts.count(host.host) < limit
    return True


FILTERS: list[Callable[[HostState, Request], bool]] = [
    compute_filter,
    availability_zone_filter,
    resources_filter,
    image_filter,
    affinity_filter,
]


def passing(hosts: list[HostState], req: Request) -> list[HostState]:
    """Hosts every filter lets through."""
    return [h for h in hosts if all(f(h, req) for f in FILTERS)]


def drivers_for(container_format: str | None, disk_format: str | None) -> list[str]:
    """Drivers that can run an image of these formats (fake runs anything)."""
    if container_format in ("docker", "oci"):
        return ["container", "fake"]
    return ["qemu", "fake"]
