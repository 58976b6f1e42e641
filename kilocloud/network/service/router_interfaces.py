"""Router interfaces: added by subnet (a port on its gateway address) or by an unused port."""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlalchemy import func, insert, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors
from kilocloud.network.models import FloatingIP, IPAllocation, Port, Router, RouterPort, Subnet
from kilocloud.network.service import records
from kilocloud.network.service.ports import remove
from kilocloud.network.service.routers import as_service

INTERFACE = "network:router_interface"


def _target(data: Any) -> tuple[str | None, str | None]:
    if not isinstance(data, dict):
        raise errors.BadResourceRequest(resource="router", msg="Body contains invalid data")
    subnet_id, port_id = data.get("subnet_id"), data.get("port_id")
    if subnet_id and port_id:
        raise errors.BadResourceRequest(
            resource="router", msg="Cannot specify both subnet-id and port-id"
        )
    if not (subnet_id or port_id):
        raise errors.BadResourceRequest(
            resource="router", msg="Either subnet_id or port_id must be specified"
        )
    return subnet_id, port_id


class RouterInterfaces:
    """PUT /routers/{id}/add_router_interface and remove_router_interface."""

    def __init__(self, routers: Any) -> None:
        self.routers = routers
        self.deps = routers.deps

    async def add(self, ctx: RequestContext, router_id: str, data: Any) -> dict[str, Any]:
        subnet_id, port_id = _target(data)
        async with self.deps.db.transaction() as conn:
            router = await self.routers.for_change(ctx, conn, router_id, "add_router_interface")
            if subnet_id:
                port_id = await self._port_for_subnet(ctx, conn, router, subnet_id)
            else:
                await self._adopt(ctx, conn, router, port_id)
            await conn.execute(
                insert(RouterPort).values(port_id=port_id, router_id=router_id, port_type=INTERFACE)
            )
            await records.bump(conn, Router, router_id)
            info = await _info(conn, router, port_id)
        await self.deps.notify(ctx, "router.interface.create", {"router_interface": info})
        await self.deps.changed(ctx)
        return info

    async def _attached_cidrs(self, conn: Connection, router_id: str) -> list[tuple[str, str]]:
        ports = select(RouterPort.port_id).where(
            RouterPort.router_id == router_id, RouterPort.port_type == INTERFACE
        )
        stmt = select(Subnet.id, Subnet.cidr).join(
            IPAllocation, IPAllocation.subnet_id == Subnet.id
        )
        return list(await conn.execute(stmt.where(IPAllocation.port_id.in_(ports))))

    async def _check_subnets(self, conn: Connection, router_id: str, subnets: list[Any]) -> None:
        attached = await self._attached_cidrs(conn, router_id)
        for subnet in subnets:
            for other_id, cidr in attached:
                if other_id == subnet.id:
                    raise errors.BadResourceRequest(
                        resource="router", msg=f"Router already has a port on subnet {subnet.id}"
                    )
                if ipaddress.ip_network(cidr).overlaps(ipaddress.ip_network(subnet.cidr)):
                    raise errors.BadResourceRequest(
                        resource="router",
                        msg=f"Cidr {subnet.cidr} of subnet {subnet.id} overlaps with cidr "
                        f"{cidr} of subnet {other_id}",
                    )

    async def _port_for_subnet(
        self, ctx: RequestContext, conn: Connection, router: dict, subnet_id: str
    ) -> str:
        subnet_item = await self.routers.subnets.visible_item(ctx, conn, subnet_id)
        if not subnet_item["gateway_ip"]:
            raise errors.BadResourceRequest(
                resource="router", msg=f"Subnet {subnet_id} does not have a gateway IP"
            )
        subnet = (await conn.execute(select(Subnet).where(Subnet.id == subnet_id))).one()
        await self._check_subnets(conn, router["id"], [subnet])
        port = {
            "network_id": subnet.network_id,
            "device_owner": INTERFACE,
            "device_id": router["id"],
            "project_id": router["project_id"],
            "fixed_ips": [{"subnet_id": subnet_id, "ip_address": subnet.gateway_ip}],
        }
        made = await self.routers.ports.insert(as_service(ctx), conn, port, trusted=True)
        return made["id"]

    async def _adopt(
        self, ctx: RequestContext, conn: Connection, router: dict, port_id: str
    ) -> None:
        port = await self.routers.ports.visible_item(ctx, conn, port_id)
        if port["device_id"] or port["device_owner"]:
            raise errors.PortInUse(
                id=port_id, network_id=port["network_id"], device_id=port["device_id"]
            )
        if not port["fixed_ips"]:
            raise errors.BadResourceRequest(
                resource="router", msg="Router port must have at least one fixed IP"
            )
        ids = [f["subnet_id"] for f in port["fixed_ips"]]
        subnets = list(await conn.execute(select(Subnet).where(Subnet.id.in_(ids))))
        await self._check_subnets(conn, router["id"], subnets)
        await records.bump(conn, Port, port_id, device_owner=INTERFACE, device_id=router["id"])

    async def remove(self, ctx: RequestContext, router_id: str, data: Any) -> dict[str, Any]:
        subnet_id, port_id = _target(data)
        async with self.deps.db.transaction() as conn:
            router = await self.routers.for_change(ctx, conn, router_id, "remove_router_interface")
            port_id = await self._interface(conn, router_id, subnet_id, port_id)
            info = await _info(conn, router, port_id)
            for subnet in info["subnet_ids"]:
                await _not_needed_by_fips(conn, router_id, subnet)
            await remove(conn, port_id)
            await records.bump(conn, Router, router_id)
        await self.deps.notify(ctx, "router.interface.delete", {"router_interface": info})
        await self.deps.changed(ctx)
        return info

    async def _interface(
        self, conn: Connection, router_id: str, subnet_id: str | None, port_id: str | None
    ) -> str:
        ours = select(RouterPort.port_id).where(
            RouterPort.router_id == router_id, RouterPort.port_type == INTERFACE
        )
        if port_id:
            if not await conn.scalar(
                select(func.count()).where(
                    RouterPort.port_id == port_id,
                    RouterPort.router_id == router_id,
                    RouterPort.port_type == INTERFACE,
                )
            ):
                raise errors.RouterInterfaceNotFound(router_id=router_id, port_id=port_id)
            return port_id
        found = await conn.scalar(
            select(IPAllocation.port_id).where(
                IPAllocation.subnet_id == subnet_id, IPAllocation.port_id.in_(ours)
            )
        )
        if found is None:
            raise errors.RouterInterfaceNotFoundForSubnet(router_id=router_id, subnet_id=subnet_id)
        return found


async def _not_needed_by_fips(conn: Connection, router_id: str, subnet_id: str) -> None:
    on_subnet = select(IPAllocation.port_id).where(IPAllocation.subnet_id == subnet_id)
    used = await conn.scalar(
        select(func.count()).where(
            FloatingIP.router_id == router_id, FloatingIP.port_id.in_(on_subnet)
        )
    )
    if used:
        raise errors.RouterInterfaceInUseByFloatingIP(router_id=router_id, subnet_id=subnet_id)


async def _info(conn: Connection, router: dict, port_id: str) -> dict[str, Any]:
    rows = list(await conn.execute(select(IPAllocation).where(IPAllocation.port_id == port_id)))
    network_id = await conn.scalar(select(Port.network_id).where(Port.id == port_id))
    subnets = sorted({r.subnet_id for r in rows})
    return {
        "id": router["id"],
        "project_id": router["project_id"],
        "tenant_id": router["project_id"],
        "port_id": port_id,
        "network_id": network_id,
        "subnet_id": subnets[0] if subnets else None,
        "subnet_ids": subnets,
    }
