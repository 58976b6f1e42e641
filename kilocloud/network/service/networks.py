"""Networks: segments chosen as ML2 chooses them, MTU from the segment type, delete rules."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import FloatingIP, IPAllocation, Network, Port, Subnet, Tag
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection, privileged
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.security_groups import default_group

VXLAN_OVERHEAD = 50  # 20 IPv4 + 30 VXLAN
PROVIDER = ("provider:network_type", "provider:physical_network", "provider:segmentation_id")


class Networks(Collection):
    kind, model, attrs, not_found = "network", Network, schemas.NETWORK, errors.NetworkNotFound

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        if privileged(ctx):
            return None
        return or_(Network.project_id == ctx.project_id, Network.shared, Network.external)

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        ids = [r.id for r in rows]
        tags = await records.tags_of(conn, ids)
        subnets: dict[str, list[str]] = {i: [] for i in ids}
        if ids:
            found = await conn.execute(
                select(Subnet.network_id, Subnet.id).where(Subnet.network_id.in_(ids))
            )
            for network_id, subnet_id in found:
                subnets[network_id].append(subnet_id)
        return [_view(r, subnets[r.id], tags[r.id]) for r in rows]

    async def brief(self, ctx: RequestContext, conn: Connection, network_id: str) -> dict:
        """The network if the caller may see it, without its subnets and tags (one query)."""
        found = _view(await self.row(conn, network_id), [], [])
        if not self.access.visible(ctx, self.target(found)):
            raise self.missing(network_id)
        return found

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /networks: one network."""
        return (await self.create_many(ctx, [body.unwrap(data, "network")]))[0]

    async def create_many(self, ctx: RequestContext, datas: list[dict]) -> list[dict[str, Any]]:
        """Create every network or none."""
        async with self.deps.db.transaction() as conn:
            ids = [await self._insert(ctx, conn, d) for d in datas]
            created = [await self.item(conn, i) for i in ids]
        for project in {i["project_id"] for i in created}:
            await default_group(self.deps, project)  # as Neutron: the project's default group
        for item in created:
            await self.deps.notify(ctx, "network.create.end", {"network": item})
        return [self.present(ctx, i, []) for i in created]

    async def _insert(self, ctx: RequestContext, conn: Connection, data: dict) -> str:
        values = body.for_create(ctx, data, self.attrs)
        self.access.enforce_attrs(ctx, "create", body.given(data), records_target(values))
        await check_quota(self.deps, conn, values["project_id"], "network", Network)
        network_type, physnet, seg_id = await self._segment(conn, values)
        max_mtu = _max_mtu(self.deps.conf, network_type)
        mtu = values["mtu"] or max_mtu
        if mtu > max_mtu:
            raise errors.InvalidInput(
                error_message=f"Requested MTU is too big, maximum is {max_mtu}"
            )
        network_id = str(uuid.uuid4())
        await conn.execute(
            insert(Network).values(
                id=network_id,
                project_id=values["project_id"],
                name=values["name"],
                description=values["description"],
                admin_state_up=values["admin_state_up"],
                shared=values["shared"],
                external=values["router:external"],
                mtu=mtu,
                port_security_enabled=values["port_security_enabled"],
                network_type=network_type,
                physical_network=physnet,
                segmentation_id=seg_id,
                availability_zone_hints=values["availability_zone_hints"],
            )
        )
        return network_id

    async def _segment(self, conn: Connection, values: dict) -> tuple[str, str | None, int | None]:
        network_type, physnet, seg_id = (values[k] for k in PROVIDER)
        network_type = network_type or self.deps.conf.network.tenant_network_type
        if network_type == "flat":
            return "flat", await self._flat(conn, physnet, seg_id), None
        if physnet:
            raise errors.InvalidInput(
                error_message="provider:physical_network specified for VXLAN network"
            )
        low, high = (int(x) for x in self.deps.conf.network.vni_ranges.split(":"))
        used = set(
            (
                await conn.execute(
                    select(Network.segmentation_id).where(Network.network_type == "vxlan")
                )
            ).scalars()
        )
        if seg_id is not None:
            if seg_id in used:
                raise errors.TunnelIdInUse(tunnel_id=seg_id)
            return "vxlan", None, seg_id
        free = next((n for n in range(low, high + 1) if n not in used), None)
        if free is None:
            raise errors.NoNetworkAvailable()
        return "vxlan", None, free

    async def _flat(self, conn: Connection, physnet: str | None, seg_id: int | None) -> str:
        allowed = self.deps.conf.network.flat_networks
        if not physnet:
            raise errors.InvalidInput(
                error_message="physical_network required for flat provider network"
            )
        if seg_id is not None:
            raise errors.InvalidInput(
                error_message="segmentation_id specified for flat provider network"
            )
        if "*" not in allowed and physnet not in allowed:
            raise errors.InvalidInput(
                error_message=f"physical_network '{physnet}' unknown for flat provider network"
            )
        taken = await conn.scalar(
            select(func.count()).where(
                Network.network_type == "flat", Network.physical_network == physnet
            )
        )
        if taken:
            raise errors.FlatNetworkInUse(physical_network=physnet)
        return physnet

    async def update(
        self, ctx: RequestContext, network_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /networks/{id}."""
        changes = body.for_update(body.unwrap(data, "network"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, network_id, "update")
            self.access.enforce_attrs(ctx, "update", changes, self.target(current))
            records.check_revision(if_match, current["revision_number"])
            values = await self._changes(conn, current, changes)
            await records.bump(conn, Network, network_id, **values)
            item = await self.item(conn, network_id)
        await self.deps.notify(ctx, "network.update.end", {"network": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def _changes(self, conn: Connection, current: dict, changes: dict) -> dict:
        values = {("external" if k == "router:external" else k): v for k, v in changes.items()}
        if "mtu" in values:
            max_mtu = _max_mtu(self.deps.conf, current["provider:network_type"])
            values["mtu"] = values["mtu"] or max_mtu
            if values["mtu"] > max_mtu:
                raise errors.InvalidInput(
                    error_message=f"Requested MTU is too big, maximum is {max_mtu}"
                )
        if values.get("shared") is False and current["shared"]:
            others = await conn.scalar(
                select(func.count()).where(
                    Port.network_id == current["id"], Port.project_id != current["project_id"]
                )
            )
            if others:
                raise errors.InvalidSharedSetting(network=current["id"])
        return values

    async def delete(self, ctx: RequestContext, network_id: str, if_match: int | None) -> None:
        """DELETE /networks/{id}: 409 while ports other than DHCP's and floating IPs' use it."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, network_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            busy = await conn.scalar(
                select(func.count()).where(
                    Port.network_id == network_id,
                    Port.device_owner.not_in(("network:dhcp", "network:floatingip")),
                )
            )
            if busy:
                raise errors.NetworkInUse(id=network_id)
            await _remove(conn, network_id)
        await self.deps.notify(
            ctx, "network.delete.end", {"network_id": network_id, "network": current}
        )
        await self.deps.changed(ctx)


async def _remove(conn: Connection, network_id: str) -> None:
    fips = select(FloatingIP.id).where(FloatingIP.floating_network_id == network_id)
    await conn.execute(delete(Tag).where(Tag.resource_id.in_(fips)))
    await conn.execute(delete(FloatingIP).where(FloatingIP.floating_network_id == network_id))
    await conn.execute(delete(IPAllocation).where(IPAllocation.network_id == network_id))
    ports = select(Port.id).where(Port.network_id == network_id)
    await conn.execute(delete(Tag).where(Tag.resource_id.in_(ports)))
    await conn.execute(delete(Port).where(Port.network_id == network_id))
    subnets = select(Subnet.id).where(Subnet.network_id == network_id)
    await conn.execute(delete(Tag).where(Tag.resource_id.in_(subnets)))
    await conn.execute(delete(Subnet).where(Subnet.network_id == network_id))
    await conn.execute(delete(Tag).where(Tag.resource_id == network_id))
    await conn.execute(delete(Network).where(Network.id == network_id))


def records_target(values: dict) -> dict:
    """The policy target of a resource about to be created."""
    return {
        "project_id": values["project_id"],
        "tenant_id": values["project_id"],
        "shared": values.get("shared", False),
        "router:external": values.get("router:external", False),
    }


def _max_mtu(conf: Any, network_type: str) -> int:
    mtu = conf.network.global_physnet_mtu
    return mtu - VXLAN_OVERHEAD if network_type == "vxlan" else mtu


def _view(row: Any, subnets: list[str], tags: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "admin_state_up": row.admin_state_up,
        "status": row.status,
        "subnets": sorted(subnets),
        "shared": row.shared,
        "router:external": row.external,
        "mtu": row.mtu,
        "port_security_enabled": row.port_security_enabled,
        "provider:network_type": row.network_type,
        "provider:physical_network": row.physical_network,
        "provider:segmentation_id": row.segmentation_id,
        "availability_zone_hints": row.availability_zone_hints or [],
        "availability_zones": [],
        "ipv4_address_scope": None,
        "ipv6_address_scope": None,
        "l2_adjacency": True,
        **records.standard(row, tags),
    }
