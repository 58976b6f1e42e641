"""Host aggregates: named groups of hosts with metadata; availability_zone makes them a zone."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.compute.models import Aggregate, AggregateHost, Service
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, Conflict, NotFound


class Aggregates:
    """os-aggregates (admin)."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    async def list(self, ctx: RequestContext) -> list[tuple[Aggregate, list[str]]]:
        """Every aggregate with its hosts."""
        self.deps.enforce(ctx, "os-aggregates:index")
        async with self.deps.db.read() as session:
            rows = list(await session.scalars(select(Aggregate).order_by(Aggregate.id)))
            return [(r, await _hosts(session, r.id)) for r in rows]

    async def get(
        self, ctx: RequestContext, aggregate_id: str, rule: str = "show"
    ) -> tuple[Aggregate, list[str]]:
        """One aggregate by id."""
        self.deps.enforce(ctx, f"os-aggregates:{rule}")
        async with self.deps.db.read() as session:
            row = (
                await session.get(Aggregate, int(aggregate_id)) if aggregate_id.isdigit() else None
            )
            if row is None:
                raise NotFound(f"Aggregate {aggregate_id} could not be found.")
            return row, await _hosts(session, row.id)

    async def create(self, ctx: RequestContext, name: str, zone: str | None) -> Aggregate:
        """A new aggregate; 409 when the name is taken."""
        self.deps.enforce(ctx, "os-aggregates:create")
        async with self.deps.db.write() as session:
            if await session.scalar(select(Aggregate.id).where(Aggregate.name == name)):
                raise Conflict(f"Aggregate {name} already exists.")
            row = Aggregate(
                uuid=str(uuid.uuid4()), name=name, meta={"availability_zone": zone} if zone else {}
            )
            session.add(row)
        return row

    async def update(
        self, ctx: RequestContext, aggregate_id: str, changes: dict[str, Any]
    ) -> Aggregate:
        """Rename it or change its zone."""
        row, _ = await self.get(ctx, aggregate_id, "update")
        async with self.deps.db.write() as session:
            fresh = await session.get(Aggregate, row.id)
            if "name" in changes:
                fresh.name = changes["name"]
            if "availability_zone" in changes:
                fresh.meta = {**fresh.meta, "availability_zone": changes["availability_zone"]}
            fresh.updated_at = utcnow()
        return fresh

    async def set_metadata(
        self, ctx: RequestContext, aggregate_id: str, items: dict[str, Any]
    ) -> Aggregate:
        """Set keys (a null value removes the key)."""
        row, _ = await self.get(ctx, aggregate_id, "set_metadata")
        meta = {**row.meta, **items}
        meta = {k: v for k, v in meta.items() if v is not None}
        async with self.deps.db.write() as session:
            fresh = await session.get(Aggregate, row.id)
            fresh.meta, fresh.updated_at = meta, utcnow()
        return fresh

    async def delete(self, ctx: RequestContext, aggregate_id: str) -> None:
        """Remove an empty aggregate; 400 while it has hosts."""
        row, hosts = await self.get(ctx, aggregate_id, "delete")
        if hosts:
            raise BadRequest(f"Cannot remove aggregate {aggregate_id}: it still has hosts.")
        async with self.deps.db.write() as session:
            await session.execute(delete(Aggregate).where(Aggregate.id == row.id))

    async def add_host(self, ctx: RequestContext, aggregate_id: str, host: str) -> None:
        """Put a compute host in the aggregate; 404 for an unknown host, 409 if already in."""
        row, hosts = await self.get(ctx, aggregate_id, "add_host")
        async with self.deps.db.write() as session:
            if not await session.scalar(select(Service.id).where(Service.host == host)):
                raise NotFound(f"Compute host {host} could not be found.")
            if host in hosts:
                raise Conflict(f"Aggregate {aggregate_id} already has host {host}.")
            session.add(AggregateHost(aggregate_id=row.id, host=host))

    async def remove_host(self, ctx: RequestContext, aggregate_id: str, host: str) -> None:
        """Take a host out of the aggregate; 404 when it is not in it."""
        row, hosts = await self.get(ctx, aggregate_id, "remove_host")
        if host not in hosts:
            raise NotFound(f"Cannot remove host {host} in aggregate {aggregate_id}")
        async with self.deps.db.write() as session:
            await session.execute(
                delete(AggregateHost).where(
                    AggregateHost.aggregate_id == row.id, AggregateHost.host == host
                )
            )


async def _hosts(session: AsyncSession, aggregate_id: int) -> list[str]:
    rows = await session.scalars(
        select(AggregateHost.host)
        .where(AggregateHost.aggregate_id == aggregate_id)
        .order_by(AggregateHost.host)
    )
    return list(rows)
