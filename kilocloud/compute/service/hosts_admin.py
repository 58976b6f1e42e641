"""Compute services (os-services) and hypervisors: what the agents report, for admins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from kilocloud.compute.hosts import host_zones, is_up
from kilocloud.compute.models import ComputeNode, Instance, Service
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, NotFound


class HostsAdmin:
    """os-services and os-hypervisors."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    def up(self, service: Service) -> bool:
        """Whether the service heartbeats in time and is not forced down."""
        return is_up(service, self.deps.conf.compute.service_down_time)

    async def zones(self) -> dict[str, str]:
        """host -> zone (the default zone for hosts in none)."""
        return await host_zones(self.deps.db)

    async def services(
        self, ctx: RequestContext, host: str | None, binary: str | None
    ) -> list[Service]:
        """Compute services, filtered by host and binary."""
        self.deps.enforce(ctx, "os-services:list")
        stmt = select(Service).order_by(Service.id)
        if host:
            stmt = stmt.where(Service.host == host)
        if binary:
            stmt = stmt.where(Service.binary == binary)
        async with self.deps.db.read() as session:
            return list(await session.scalars(stmt))

    async def find_service(self, ctx: RequestContext, where: Any, label: str) -> Service:
        """One service by a condition; 404 when none matches."""
        self.deps.enforce(ctx, "os-services:update")
        async with self.deps.db.read() as session:
            found = await session.scalar(select(Service).where(where))
        if found is None:
            raise NotFound(f"Service {label} could not be found.")
        return found

    async def update_service(
        self, ctx: RequestContext, service: Service, changes: dict[str, Any]
    ) -> Service:
        """Enable, disable (with a reason) or force down a compute service."""
        self.deps.enforce(ctx, "os-services:update")
        if service.binary != "nova-compute":
            raise BadRequest(
                f"Updating a {service.binary} service is not supported. "
                "Only nova-compute services can be updated."
            )
        async with self.deps.db.write() as session:
            row = await session.get(Service, service.id)
            for key, value in changes.items():
                setattr(row, key, value)
            row.updated_at = utcnow()
        return row

    async def delete_service(self, ctx: RequestContext, service_id: str) -> None:
        """Forget a compute service and its node (refused while servers run there)."""
        self.deps.enforce(ctx, "os-services:delete")
        column = Service.uuid if "-" in service_id else Service.id
        async with self.deps.db.write() as session:
            row = await session.scalar(select(Service).where(column == service_id))
            if row is None:
                raise NotFound(f"Service {service_id} could not be found.")
            busy = await session.scalar(
                select(func.count())
                .select_from(Instance)
                .where(Instance.host == row.host, Instance.deleted.is_(False))
            )
            if busy:
                raise BadRequest(
                    "Unable to delete compute service that is hosting instances. "
                    "Migrate or delete the instances first."
                )
            await session.execute(delete(ComputeNode).where(ComputeNode.host == row.host))
            await session.delete(row)

    async def hypervisors(
        self, ctx: RequestContext, rule: str
    ) -> list[tuple[ComputeNode, Service]]:
        """Every node with its compute service."""
        self.deps.enforce(ctx, f"os-hypervisors:{rule}")
        async with self.deps.db.read() as session:
            rows = await session.execute(
                select(ComputeNode, Service)
                .join(
                    Service, (Service.host == ComputeNode.host) & (Service.binary == "nova-compute")
                )
                .order_by(ComputeNode.id)
            )
            return [tuple(r) for r in rows.all()]

    async def servers_on(self, host: str) -> list[dict[str, str]]:
        """{name, uuid} of the live servers on a host."""
        async with self.deps.db.read() as session:
            rows = await session.execute(
                select(Instance.display_name, Instance.uuid).where(
                    Instance.host == host, Instance.deleted.is_(False)
                )
            )
            return [{"name": name, "uuid": uuid} for name, uuid in rows.all()]

    async def running(self) -> dict[str, int]:
        """host -> live servers on it."""
        async with self.deps.db.read() as session:
            rows = await session.execute(
                select(Instance.host, func.count())
                .where(Instance.deleted.is_(False), Instance.host.is_not(None))
                .group_by(Instance.host)
            )
            return dict(rows.all())
