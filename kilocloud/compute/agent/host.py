"""The agent's host in the database: its service row (heartbeats) and node row (resources)."""

from __future__ import annotations

import socket
import uuid

from oslo_config import cfg
from sqlalchemy import select, update

from kilocloud.compute.drivers.base import Driver
from kilocloud.compute.models import ComputeNode, Service
from kilocloud.core.db import Database, utcnow

BINARY = "nova-compute"


def _ip() -> str:
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def totals(drivers: list[Driver]) -> dict[str, int]:
    """The host's resources: the largest any of its drivers reports."""
    found = {"vcpus": 0, "memory_mb": 0, "local_gb": 0}
    for driver in drivers:
        for key, value in driver.resources().items():
            found[key] = max(found.get(key, 0), value)
    return found


async def register(db: Database, conf: cfg.ConfigOpts, host: str, drivers: list[Driver]) -> None:
    """Create or refresh this host's service and node rows (ratios and resources as now)."""
    sizes = totals(drivers)
    node = {
        "hypervisor_hostname": host,
        "hypervisor_type": "+".join(d.name for d in drivers) or "none",
        "host_ip": _ip(),
        "drivers": [d.name for d in drivers],
        "cpu_allocation_ratio": conf.compute.cpu_allocation_ratio,
        "ram_allocation_ratio": conf.compute.ram_allocation_ratio,
        "disk_allocation_ratio": conf.compute.disk_allocation_ratio,
        "started_at": utcnow(),
        "updated_at": utcnow(),
        **sizes,
    }
    async with db.write() as session:
        service = await session.scalar(
            select(Service).where(Service.host == host, Service.binary == BINARY)
        )
        if service is None:
            session.add(
                Service(
                    uuid=str(uuid.uuid4()),
                    host=host,
                    binary=BINARY,
                    topic="compute",
                    last_seen_up=utcnow(),
                    updated_at=utcnow(),
                )
            )
        else:
            service.last_seen_up = service.updated_at = utcnow()
        row = await session.scalar(select(ComputeNode).where(ComputeNode.host == host))
        if row is None:
            session.add(ComputeNode(uuid=str(uuid.uuid4()), host=host, **node))
        else:
            for key, value in node.items():
                setattr(row, key, value)


async def heartbeat(db: Database, host: str) -> None:
    """Say this host's agent is alive."""
    now = utcnow()
    async with db.transaction() as conn:
        await conn.execute(
            update(Service)
            .where(Service.host == host, Service.binary == BINARY)
            .values(last_seen_up=now, updated_at=now, report_count=Service.report_count + 1)
        )
