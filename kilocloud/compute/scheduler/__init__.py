"""The scheduler: hosts from the database, filtered and weighed, the best one claimed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from kilocloud.compute.hosts import host_zones, is_up
from kilocloud.compute.models import ComputeNode, Instance, Service
from kilocloud.compute.scheduler import claims, filters, weighers
from kilocloud.compute.scheduler.filters import HostState, Request
from kilocloud.core.db import Database, utcnow


class NoValidHost(Exception):
    """No host passes the filters with room for the server."""


@dataclass
class Placement:
    """Where a server was placed."""

    host: str
    node: str


class Scheduler:
    """Selects a host for a server and claims its resources there, atomically."""

    def __init__(self, db: Database, default_zone: str, down_time: int) -> None:
        self.db, self.default_zone, self.down_time = db, default_zone, down_time

    async def hosts(self) -> list[HostState]:
        """Every compute host with its resources, zone and health."""
        zones = await host_zones(self.db)
        default = self.default_zone
        async with self.db.read() as session:
            rows = await session.execute(
                select(ComputeNode, Service).join(
                    Service, (Service.host == ComputeNode.host) & (Service.binary == "nova-compute")
                )
            )
            pairs = rows.all()
        return [
            _state(node, service, zones.get(node.host, default), self.down_time)
            for node, service in pairs
        ]

    async def place(self, uuid: str, req: Request, group_id: int | None) -> Placement:
        """Claim resources for instance `uuid` on the best host and record the host on it."""
        for host in weighers.ordered(filters.passing(await self.hosts(), req), req):
            async with self.db.transaction() as conn:
                if not await claims.claim(
                    conn, host.node_id, uuid, req.vcpus, req.memory_mb, req.disk_gb
                ):
                    continue
                if group_id is not None and req.group_policy == "anti-affinity":
                    others = await claims.members_on(conn, group_id, host.host, uuid)
                    if others >= (req.max_per_host or 1):
                        await claims.release(conn, uuid)
                        continue
                await conn.execute(
                    update(Instance)
                    .where(Instance.uuid == uuid)
                    .values(
                        host=host.host,
                        node=host.host,
                        availability_zone=func.coalesce(Instance.availability_zone, host.zone),
                        updated_at=utcnow(),
                    )
                )
                return Placement(host.host, host.host)
        raise NoValidHost("No valid host was found. There are not enough hosts available.")

    async def release(self, uuid: str) -> None:
        """Give back what the instance holds."""
        async with self.db.transaction() as conn:
            await claims.release(conn, uuid)


def _state(node: ComputeNode, service: Service, zone: str, down_time: int) -> HostState:
    return HostState(
        host=node.host,
        node_id=node.id,
        zone=zone,
        up=is_up(service, down_time),
        enabled=not service.disabled,
        drivers=list(node.drivers or []),
        vcpus=node.vcpus,
        memory_mb=node.memory_mb,
        local_gb=node.local_gb,
        vcpus_used=node.vcpus_used,
        memory_mb_used=node.memory_mb_used,
        local_gb_used=node.local_gb_used,
        cpu_ratio=node.cpu_allocation_ratio,
        ram_ratio=node.ram_allocation_ratio,
        disk_ratio=node.disk_allocation_ratio,
    )
