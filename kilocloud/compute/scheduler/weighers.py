"""Scheduler weighers: spread by free RAM; soft (anti-)affinity by the group's members."""

from __future__ import annotations

from kilocloud.compute.scheduler.filters import HostState, Request


def ram_weight(host: HostState, req: Request) -> float:
    """More free RAM weighs more (spreads servers)."""
    return host.free()[1]


def soft_affinity_weight(host: HostState, req: Request) -> float:
    """soft-affinity: members on the host weigh for it; soft-anti-affinity: against it."""
    members = req.group_hosts.count(host.host)
    if req.group_policy == "soft-affinity":
        return members
    if req.group_policy == "soft-anti-affinity":
        return -members
    return 0.0


def ordered(hosts: list[HostState], req: Request) -> list[HostState]:
    """Hosts best first: the group's soft policy first, then free RAM."""
    return sorted(
        hosts, key=lambda h: (soft_affinity_weight(h, req), ram_weight(h, req)), reverse=True
    )
