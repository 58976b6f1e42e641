"""Subnets: CIDR, gateway and pool rules as Neutron checks them; DHCP ports follow DHCP."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, ipam, schemas
from kilocloud.network.models import IPAllocation, Network, Port, Subnet, Tag
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection, privileged
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.subnet_rules import check_subnet, check_update

V6_STATEFUL = (None, "dhcpv6-stateful")


class Subnets(Collection):
    kind, model, attrs, not_found = "subnet", Subnet, schemas.SUBNET, errors.SubnetNotFound

    def __init__(self, deps: Any, networks: Any, pools: Any) -> None:
        super().__init__(deps)
        self.networks, self.pools = networks, pools

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        if privileged(ctx):
            return None
        open_nets = select(Network.id).where(
            or_(Network.project_id == ctx.project_id, Network.shared, Network.external)
        )
        return or_(Subnet.project_id == ctx.project_id, Subnet.network_id.in_(open_nets))

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        tags = await records.tags_of(conn, [r.id for r in rows])
        nets = await network_fields(conn, {r.network_id for r in rows})
        return [_view(r, tags[r.id], nets.get(r.network_id)) for r in rows]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /subnets."""
        return (await self.create_many(ctx, [body.unwrap(data, "subnet")]))[0]

    async def create_many(self, ctx: RequestContext, datas: list[dict]) -> list[dict[str, Any]]:
        """Create every subnet or none."""
        async with self.deps.db.transaction() as conn:
            ids = [await self._insert(ctx, conn, d) for d in datas]
            created = [await self.item(conn, i) for i in ids]
        for item in created:
            await self.deps.notify(ctx, "subnet.create.end", {"subnet": _public(item)})
        await self.deps.changed(ctx)
        return [self.present(ctx, i, []) for i in created]

    async def _insert(self, ctx: RequestContext, conn: Connection, data: dict) -> str:
        values = body.for_create(ctx, data, self.attrs)
        net = await self.networks.brief(ctx, conn, values["network_id"])
        tgt = {"project_id": values["project_id"], "tenant_id": values["project_id"]}
        self.access.enforce_attrs(ctx, "create", body.given(data), records_net(tgt, net))
        await check_quota(self.deps, conn, values["project_id"], "subnet", Subnet)
        if values["cidr"] is None or values["subnetpool_id"] or values["use_default_subnetpool"]:
            await self.pools.allocate(ctx, conn, values)
        others = list(
            (
                await conn.execute(select(Subnet.cidr).where(Subnet.network_id == net["id"]))
            ).scalars()
        )
        check_subnet(values, others)
        if values["gateway_ip"] == "auto":
            values["gateway_ip"] = ipam.first_host(values["cidr"])
        pools = values["allocation_pools"]
        if pools is None:
            pools = ipam.default_pools(values["cidr"], values["gateway_ip"])
        ipam.check_pools(values["cidr"], pools, values["gateway_ip"])
        subnet_id = str(uuid.uuid4())
        await conn.execute(
            insert(Subnet).values(
                id=subnet_id,
                **{k: values[k] for k in _COLUMNS},
                allocation_pools=pools,
                host_routes=values["host_routes"],
            )
        )
        await records.bump(conn, Network, net["id"])
        if values["enable_dhcp"]:
            await self._dhcp(conn, net, subnet_id)
        return subnet_id

    async def _dhcp(self, conn: Connection, net: dict, subnet_id: str) -> None:
        """Give the network's DHCP port an address on a DHCP subnet (making the port if needed)."""
        from kilocloud.network.service.ports import dhcp_port

        port = await dhcp_port(self.deps, conn, net)
        subnet = (await conn.execute(select(Subnet).where(Subnet.id == subnet_id))).one()
        if subnet.ip_version == 4 or subnet.ipv6_address_mode in V6_STATEFUL:
            await ipam.claim(conn, subnet, port, None, lowest=True)

    async def update(
        self, ctx: RequestContext, subnet_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /subnets/{id}."""
        changes = body.for_update(body.unwrap(data, "subnet"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, subnet_id, "update")
            self.access.enforce_attrs(ctx, "update", changes, self.target(current))
            records.check_revision(if_match, current["revision_number"])
            await check_update(conn, current, changes)
            await records.bump(conn, Subnet, subnet_id, **changes)
            if changes.get("enable_dhcp") and not current["enable_dhcp"]:
                await self._dhcp(
                    conn, await self.networks.item(conn, current["network_id"]), subnet_id
                )
            item = await self.item(conn, subnet_id)
        await self.deps.notify(ctx, "subnet.update.end", {"subnet": _public(item)})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, subnet_id: str, if_match: int | None) -> None:
        """DELETE /subnets/{id}: 409 while a port other than DHCP's holds an address on it."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, subnet_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            dhcp = select(Port.id).where(Port.device_owner == "network:dhcp")
            busy = await conn.scalar(
                select(func.count()).where(
                    IPAllocation.subnet_id == subnet_id, IPAllocation.port_id.not_in(dhcp)
                )
            )
            if busy:
                raise errors.SubnetInUse(id=subnet_id)
            await conn.execute(delete(IPAllocation).where(IPAllocation.subnet_id == subnet_id))
            await conn.execute(delete(Tag).where(Tag.resource_id == subnet_id))
            await conn.execute(delete(Subnet).where(Subnet.id == subnet_id))
            await records.bump(conn, Network, current["network_id"])
        await self.deps.notify(
            ctx, "subnet.delete.end", {"subnet_id": subnet_id, "subnet": _public(current)}
        )
        await self.deps.changed(ctx)


_COLUMNS = (
    "project_id",
    "network_id",
    "name",
    "description",
    "ip_version",
    "cidr",
    "gateway_ip",
    "enable_dhcp",
    "dns_nameservers",
    "ipv6_ra_mode",
    "ipv6_address_mode",
    "subnetpool_id",
)


async def network_fields(conn: Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    """project_id, shared and router:external of each network: what policies ask of it."""
    if not ids:
        return {}
    rows = await conn.execute(
        select(Network.id, Network.project_id, Network.shared, Network.external).where(
            Network.id.in_(ids)
        )
    )
    return {
        r.id: {"project_id": r.project_id, "shared": r.shared, "router:external": r.external}
        for r in rows
    }


def records_net(tgt: dict[str, Any], net: dict[str, Any]) -> dict[str, Any]:
    """A policy target with its network's fields."""
    return {
        **tgt,
        "network:project_id": net["project_id"],
        "network:shared": net["shared"],
        "network:router:external": net["router:external"],
    }


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "_network"}


def _view(row: Any, tags: list[str], net: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "network_id": row.network_id,
        "ip_version": row.ip_version,
        "cidr": row.cidr,
        "gateway_ip": row.gateway_ip,
        "allocation_pools": row.allocation_pools,
        "dns_nameservers": row.dns_nameservers,
        "host_routes": row.host_routes,
        "enable_dhcp": row.enable_dhcp,
        "ipv6_ra_mode": row.ipv6_ra_mode,
        "ipv6_address_mode": row.ipv6_address_mode,
        "subnetpool_id": row.subnetpool_id,
        "service_types": [],
        "segment_id": None,
        "router:external": bool(net and net["router:external"]),
        **records.standard(row, tags),
        "_network": net,
    }
