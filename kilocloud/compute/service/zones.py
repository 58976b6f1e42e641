"""Availability zones: the default zone and those aggregates name, and hosts' services in them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kilocloud.compute.hosts import host_zones, is_up
from kilocloud.compute.models import Service
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.core.context import RequestContext


class Zones:
    """os-availability-zone."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    async def host_zones(self) -> dict[str, str]:
        """host -> availability zone, for hosts an aggregate puts in one."""
        return await host_zones(self.deps.db)

    async def zone_of(self, host: str) -> str:
        """The availability zone `host` is in."""
        return (await self.host_zones()).get(host, self.deps.conf.compute.default_availability_zone)

    async def _services(self) -> list[Service]:
        async with self.deps.db.read() as session:
            return list(await session.scalars(select(Service).order_by(Service.host)))

    async def list(self, ctx: RequestContext) -> list[dict[str, Any]]:
        """Zones holding compute services; available when one of them is enabled."""
        self.deps.enforce(ctx, "os-availability-zone:list")
        return await self.all_zones()

    async def all_zones(self) -> list[dict[str, Any]]:
        """Zones holding compute services, with no policy check."""
        zones = await self.host_zones()
        default = self.deps.conf.compute.default_availability_zone
        found: dict[str, bool] = {}
        for service in await self._services():
            if service.binary == "nova-compute":
                zone = zones.get(service.host, default)
                found[zone] = found.get(zone, False) or not service.disabled
        return [
            {"zoneName": z, "zoneState": {"available": a}, "hosts": None}
            for z, a in sorted(found.items())
        ]

    async def detail(self, ctx: RequestContext) -> list[dict[str, Any]]:
        """Every zone with its hosts and their services (admin)."""
        self.deps.enforce(ctx, "os-availability-zone:detail")
        zones = await self.host_zones()
        conf = self.deps.conf.compute
        by_zone: dict[str, dict[str, dict[str, Any]]] = {}
        for service in await self._services():
            internal = service.binary != "nova-compute"
            zone = (
                conf.internal_service_availability_zone
                if internal
                else zones.get(service.host, conf.default_availability_zone)
            )
            by_zone.setdefault(zone, {}).setdefault(service.host, {})[service.binary] = {
                "available": is_up(service, conf.service_down_time),
                "active": not service.disabled,
                "updated_at": service.updated_at and service.updated_at.isoformat(),
            }
        return [
            {"zoneName": z, "zoneState": {"available": True}, "hosts": hosts}
            for z, hosts in sorted(by_zone.items())
        ]
