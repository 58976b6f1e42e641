"""Floating IPs: an address on an external network, mapped to a port the router reaches."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from sqlalchemy import delete, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import FloatingIP, IPAllocation, Port, Router, RouterPort, Tag
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection
from kilocloud.network.service.ports import remove
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.routers import as_service

OWNER = "network:floatingip"


class FloatingIPs(Collection):
    kind, model, attrs, not_found = (
        "floatingip",
        FloatingIP,
        schemas.FLOATINGIP,
        errors.FloatingIPNotFound,
    )

    def __init__(self, deps: Any, networks: Any, ports: Any) -> None:
        super().__init__(deps)
        self.networks, self.ports = networks, ports

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        tags = await records.tags_of(conn, [r.id for r in rows])
        return [_view(r, tags[r.id]) for r in rows]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /floatingips: an external address, associated when a port is given."""
        given = body.unwrap(data, "floatingip")
        values = body.for_create(ctx, given, self.attrs)
        tgt = {"project_id": values["project_id"], "tenant_id": values["project_id"]}
        self.access.enforce_attrs(ctx, "create", body.given(given), tgt)
        async with self.deps.db.transaction() as conn:
            net = await self.networks.visible_item(ctx, conn, values["floating_network_id"])
            if not net["router:external"]:
                raise errors.BadResourceRequest(
                    resource="floatingip",
                    msg=f"Network {net['id']} is not a valid external network",
                )
            await check_quota(self.deps, conn, values["project_id"], "floatingip", FloatingIP)
            fip_id = str(uuid.uuid4())
            address = await self._address(ctx, conn, fip_id, net, values)
            await conn.execute(
                FloatingIP.__table__.insert().values(
                    id=fip_id,
                    project_id=values["project_id"],
                    description=values["description"],
                    floating_network_id=net["id"],
                    floating_port_id=address[0],
                    floating_ip_address=address[1],
                )
            )
            if values["port_id"]:
                await self._associate(
                    ctx, conn, fip_id, values["port_id"], values["fixed_ip_address"]
                )
            item = await self.item(conn, fip_id)
        await self.deps.notify(ctx, "floatingip.create.end", {"floatingip": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def _address(
        self, ctx: RequestContext, conn: Connection, fip_id: str, net: dict, values: dict
    ) -> tuple[str, str]:
        fixed = None
        if values["floating_ip_address"] or values["subnet_id"]:
            fixed = [
                {
                    k: v
                    for k, v in (
                        ("subnet_id", values["subnet_id"]),
                        ("ip_address", values["floating_ip_address"]),
                    )
                    if v
                }
            ]
        port = {"network_id": net["id"], "device_owner": OWNER, "device_id": fip_id}
        port |= {"project_id": values["project_id"], "fixed_ips": fixed}
        port_id = (await self.ports.insert(as_service(ctx), conn, port, trusted=True))["id"]
        ips = list(
            (
                await conn.execute(
                    select(IPAllocation.ip_address).where(IPAllocation.port_id == port_id)
                )
            ).scalars()
        )
        v4 = [ip for ip in ips if ipaddress.ip_address(ip).version == 4]
        if not ips:
            raise errors.IpAddressGenerationFailure(id=net["id"])
        return port_id, (v4 or ips)[0]

    async def _associate(
        self, ctx: RequestContext, conn: Connection, fip_id: str, port_id: str, fixed_ip: str | None
    ) -> None:
        port = await self.ports.visible_item(ctx, conn, port_id)
        fip = (await conn.execute(select(FloatingIP).where(FloatingIP.id == fip_id))).one()
        v4 = [f for f in port["fixed_ips"] if ipaddress.ip_address(f["ip_address"]).version == 4]
        if fixed_ip is None:
            if len(v4) != 1:
                raise errors.BadResourceRequest(
                    resource="floatingip",
                    msg=f"Port {port_id} has multiple fixed IPv4 addresses. Must provide a "
                    "specific IPv4 address when assigning a floating IP"
                    if v4
                    else f"Port {port_id} does not have fixed ip",
                )
            chosen = v4[0]
        else:
            chosen = next((f for f in port["fixed_ips"] if f["ip_address"] == fixed_ip), None)
            if chosen is None:
                raise errors.BadResourceRequest(
                    resource="floatingip", msg=f"Port {port_id} does not have fixed ip {fixed_ip}"
                )
        router_id = await _router_for(conn, fip.floating_network_id, chosen["subnet_id"])
        if router_id is None:
            raise errors.ExternalGatewayForFloatingIPNotFound(
                external_network_id=fip.floating_network_id,
                subnet_id=chosen["subnet_id"],
                port_id=port_id,
            )
        taken = await conn.scalar(
            select(FloatingIP.id).where(
                FloatingIP.port_id == port_id,
                FloatingIP.fixed_ip_address == chosen["ip_address"],
                FloatingIP.id != fip_id,
            )
        )
        if taken:
            raise errors.FloatingIPPortAlreadyAssociated(
                floating_ip_address=fip.floating_ip_address,
                fip_id=fip_id,
                port_id=port_id,
                fixed_ip=chosen["ip_address"],
                net_id=fip.floating_network_id,
            )
        await records.bump(
            conn,
            FloatingIP,
            fip_id,
            port_id=port_id,
            fixed_ip_address=chosen["ip_address"],
            router_id=router_id,
            status="ACTIVE",
        )

    async def update(
        self, ctx: RequestContext, fip_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /floatingips/{id}: associate, re-associate or (port_id null) disassociate."""
        changes = body.for_update(body.unwrap(data, "floatingip"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, fip_id, "update")
            records.check_revision(if_match, current["revision_number"])
            if "port_id" in changes:
                if changes["port_id"]:
                    await self._associate(
                        ctx, conn, fip_id, changes["port_id"], changes.get("fixed_ip_address")
                    )
                else:
                    await records.bump(
                        conn,
                        FloatingIP,
                        fip_id,
                        port_id=None,
                        fixed_ip_address=None,
                        router_id=None,
                        status="DOWN",
                    )
            if "description" in changes:
                await records.bump(conn, FloatingIP, fip_id, description=changes["description"])
            item = await self.item(conn, fip_id)
        await self.deps.notify(ctx, "floatingip.update.end", {"floatingip": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, fip_id: str, if_match: int | None) -> None:
        """DELETE /floatingips/{id}: the address goes back to the external network."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, fip_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            port_id = await conn.scalar(
                select(FloatingIP.floating_port_id).where(FloatingIP.id == fip_id)
            )
            await conn.execute(delete(Tag).where(Tag.resource_id == fip_id))
            await conn.execute(delete(FloatingIP).where(FloatingIP.id == fip_id))
            await remove(conn, port_id)
        await self.deps.notify(
            ctx, "floatingip.delete.end", {"floatingip_id": fip_id, "floatingip": current}
        )
        await self.deps.changed(ctx)


async def _router_for(conn: Connection, external_net: str, subnet_id: str) -> str | None:
    """A router with an interface on the subnet and its gateway on the external network."""
    on_subnet = select(IPAllocation.port_id).where(IPAllocation.subnet_id == subnet_id)
    interfaces = select(RouterPort.router_id).where(
        RouterPort.port_type == "network:router_interface", RouterPort.port_id.in_(on_subnet)
    )
    gateways = select(Port.id).where(Port.network_id == external_net)
    return await conn.scalar(
        select(Router.id)
        .where(Router.id.in_(interfaces), Router.gw_port_id.in_(gateways))
        .order_by(Router.id)
    )


def _view(row: Any, tags: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "floating_ip_address": row.floating_ip_address,
        "floating_network_id": row.floating_network_id,
        "router_id": row.router_id,
        "port_id": row.port_id,
        "fixed_ip_address": row.fixed_ip_address,
        "status": row.status,
        **records.standard(row, tags),
    }
