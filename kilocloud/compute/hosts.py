"""Compute hosts as the database knows them: up or down, and the zone each is in."""

from __future__ import annotations

import datetime

from sqlalchemy import select

from kilocloud.compute.models import Aggregate, AggregateHost, Service
from kilocloud.core.db import Database, utcnow


def is_up(service: Service, down_time: int) -> bool:
    """Up when not forced down and heard from within `down_time` seconds."""
    if service.forced_down or service.last_seen_up is None:
        return False
    return utcnow() - service.last_seen_up <= datetime.timedelta(seconds=down_time)


async def host_zones(db: Database) -> dict[str, str]:
    """host -> availability zone, for hosts an aggregate puts in one."""
    async with db.read() as session:
        rows = await session.execute(
            select(AggregateHost.host, Aggregate.meta).join(
                Aggregate, Aggregate.id == AggregateHost.aggregate_id
            )
        )
        return {
            host: meta["availability_zone"]
            for host, meta in rows.all()
            if meta.get("availability_zone")
        }
