"""Ports: addresses from IPAM, MACs, security groups and port security, bindings."""

from __future__ import annotations

import random
import uuid
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, func, insert, or_, select, update

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection, utcnow
from kilocloud.network import errors, schemas
from kilocloud.network.models import (
    FloatingIP,
    IPAllocation,
    Network,
    Port,
    RouterPort,
    Tag,
)
from kilocloud.network.service import body, fixed_ips, records
from kilocloud.network.service.collection import Collection, privileged
from kilocloud.network.service.deps import NetworkDeps
from kilocloud.network.service.port_rules import check_security, vif_binding
from kilocloud.network.service.quotas import check_quota
from kilocloud.network.service.retry import retrying
from kilocloud.network.service.security_groups import default_group
from kilocloud.network.service.subnets import network_fields, records_net

PORT_INSERT = insert(Port)  # one statement, compiled once, for every port
ROUTER_OWNERS = ("network:router_interface", "network:router_gateway", "network:floatingip")


class Ports(Collection):
    kind, model, attrs, not_found = "port", Port, schemas.PORT, errors.PortNotFound

    def __init__(self, deps: NetworkDeps, networks: Any) -> None:
        super().__init__(deps)
        self.networks = networks
        # projects whose default group exists: made outside the port's transaction, once
        self.defaults_made: set[str] = set()

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        if privileged(ctx):
            return None
        owned = select(Network.id).where(Network.project_id == ctx.project_id)
        return or_(Port.project_id == ctx.project_id, Port.network_id.in_(owned))

    def special_filters(self) -> dict:
        return {"fixed_ips": fixed_ips.filter_clause, "security_groups": _sg_filter}

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        ids = [r.id for r in rows]
        tags = await records.tags_of(conn, ids)
        ips: dict[str, list[dict]] = {i: [] for i in ids}
        if ids:
            found = await conn.execute(
                select(IPAllocation.port_id, IPAllocation.subnet_id, IPAllocation.ip_address)
                .where(IPAllocation.port_id.in_(ids))
                .order_by(IPAllocation.subnet_id, IPAllocation.ip_address)
            )
            for port_id, subnet_id, ip in found:
                ips[port_id].append({"subnet_id": subnet_id, "ip_address": ip})
        nets = await network_fields(conn, {r.network_id for r in rows})
        return [_view(r, ips[r.id], tags[r.id], nets.get(r.network_id)) for r in rows]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /ports."""
        return (await self.create_many(ctx, [body.unwrap(data, "port")]))[0]

    async def create_many(self, ctx: RequestContext, datas: list[dict]) -> list[dict[str, Any]]:
        """Create every port or none."""
        for project in {d.get("project_id") or d.get("tenant_id") or ctx.project_id for d in datas}:
            if isinstance(project, str) and project and project not in self.defaults_made:
                await default_group(self.deps, project)
                self.defaults_made.add(project)

        async def write() -> list[dict[str, Any]]:
            async with self.deps.db.transaction() as conn:
                return [await self.insert(ctx, conn, d) for d in datas]

        created = await retrying(write)
        for item in created:
            await self.deps.notify(ctx, "port.create.end", {"port": _public(item)})
        if any(_in_data_plane(i) for i in created):
            await self.deps.changed(ctx)
        return [self.present(ctx, i, []) for i in created]

    async def insert(
        self, ctx: RequestContext, conn: Connection, data: dict, trusted: bool = False
    ) -> dict[str, Any]:
        """Write one port from a POST body (trusted: made by the service itself, no policy)."""
        values = body.for_create(ctx, data, self.attrs)
        net = await self.networks.brief(ctx, conn, values["network_id"])
        if not trusted:
            tgt = records_net(
                {"project_id": values["project_id"], "device_owner": values["device_owner"]}, net
            )
            tgt["device_owner_prefix"] = values["device_owner"][:8]
            self.access.enforce_attrs(ctx, "create", body.given(data), tgt)
        await check_quota(self.deps, conn, values["project_id"], "port", Port)
        port_id = str(uuid.uuid4())
        mac = await self._mac(conn, net["id"], values["mac_address"])
        if values["port_security_enabled"] is None:
            values["port_security_enabled"] = net["port_security_enabled"]
        groups = await check_security(self.deps, conn, values, values["project_id"])
        now = utcnow()
        row = {
            "id": port_id,
            "mac_address": mac,
            "security_groups": groups,
            "allowed_address_pairs": _pairs(values["allowed_address_pairs"], mac),
            "extra_dhcp_opts": values["extra_dhcp_opts"] or [],
            "status": "DOWN",
            "revision_number": 1,
            "created_at": now,
            "updated_at": now,
            **{k: values[k] for k in _COLUMNS},
            **{column: values[name] for name, column in _BINDING.items()},
            **vif_binding(values["binding:host_id"]),
        }
        await conn.execute(PORT_INSERT, row)
        ips = await fixed_ips.allocate(
            conn, net, port_id, mac, values["fixed_ips"], values["device_owner"]
        )
        tags = sorted(set(values.get("tags") or []))
        if tags:
            await records.replace_tags(conn, port_id, tags)
        held = [{"subnet_id": s, "ip_address": ip} for s, ip in sorted(ips)]
        return _view(SimpleNamespace(**row), held, tags, _policy_fields(net))

    async def _mac(self, conn: Connection, network_id: str, mac: str | None) -> str:
        exists = select(func.count()).where(Port.network_id == network_id)
        if mac is not None:
            if await conn.scalar(exists.where(Port.mac_address == mac)):
                raise errors.MacAddressInUse(net_id=network_id, mac=mac)
            return mac
        prefix = self.deps.conf.network.base_mac.split(":")[:3]
        while True:
            mac = ":".join([*prefix, *(f"{random.randint(0, 255):02x}" for _ in range(3))])
            if not await conn.scalar(exists.where(Port.mac_address == mac)):
                return mac

    async def update(
        self, ctx: RequestContext, port_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /ports/{id}."""
        changes = body.for_update(body.unwrap(data, "port"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, port_id, "update")
            tgt = {**self.target(current), **_owner_target(changes)}
            self.access.enforce_attrs(ctx, "update", changes, tgt)
            records.check_revision(if_match, current["revision_number"])
            values = await self._changes(conn, current, changes)
            await records.bump(conn, Port, port_id, **values)
            item = await self.item(conn, port_id)
        await self.deps.notify(ctx, "port.update.end", {"port": _public(item)})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def _changes(self, conn: Connection, current: dict, changes: dict) -> dict:
        values = {_BINDING.get(k, k): v for k, v in changes.items() if k not in ("fixed_ips",)}
        if "mac_address" in changes:
            if current["binding:vif_type"] not in ("unbound", "binding_failed"):
                raise errors.PortBound(port_id=current["id"], vif_type=current["binding:vif_type"])
            values["mac_address"] = await self._mac(
                conn, current["network_id"], changes["mac_address"]
            )
        merged = {**_security_fields(current), **changes}
        if {"security_groups", "port_security_enabled", "allowed_address_pairs"} & set(changes):
            values["security_groups"] = await check_security(
                self.deps, conn, merged, current["project_id"], True
            )
        if "allowed_address_pairs" in changes:
            values["allowed_address_pairs"] = _pairs(
                changes["allowed_address_pairs"] or [],
                values.get("mac_address", current["mac_address"]),
            )
        if "extra_dhcp_opts" in changes:
            values["extra_dhcp_opts"] = [
                o for o in changes["extra_dhcp_opts"] or [] if o["opt_value"] is not None
            ]
        if "binding:host_id" in changes:
            values.update(vif_binding(changes["binding:host_id"]))
        if changes.get("fixed_ips") is not None:
            net = await self.networks.item(conn, current["network_id"])
            await fixed_ips.replace(conn, net, current, changes["fixed_ips"])
        return values

    async def delete(self, ctx: RequestContext, port_id: str, if_match: int | None) -> None:
        """DELETE /ports/{id}: router ports go through the router API (409)."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, port_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            if current["device_owner"] in ROUTER_OWNERS and await conn.scalar(
                select(func.count()).where(RouterPort.port_id == port_id)
            ):
                raise errors.ServicePortInUse(port_id=port_id, device_owner=current["device_owner"])
            await remove(conn, port_id)
        await self.deps.notify(
            ctx, "port.delete.end", {"port_id": port_id, "port": _public(current)}
        )
        if _in_data_plane(current):
            await self.deps.changed(ctx)


async def remove(conn: Connection, port_id: str) -> None:
    """Delete a port, its addresses and tags; floating IPs on it are disassociated."""
    await conn.execute(
        update(FloatingIP)
        .where(FloatingIP.port_id == port_id)
        .values(port_id=None, fixed_ip_address=None, router_id=None, status="DOWN")
    )
    await conn.execute(delete(IPAllocation).where(IPAllocation.port_id == port_id))
    await conn.execute(delete(RouterPort).where(RouterPort.port_id == port_id))
    await conn.execute(delete(Tag).where(Tag.resource_id == port_id))
    await conn.execute(delete(Port).where(Port.id == port_id))


async def dhcp_port(deps: NetworkDeps, conn: Connection, net: dict[str, Any]) -> str:
    """The id of the network's DHCP port, made on first need (as the DHCP agent makes it)."""
    found = await conn.scalar(
        select(Port.id).where(Port.network_id == net["id"], Port.device_owner == "network:dhcp")
    )
    if found:
        return found
    port_id = str(uuid.uuid4())
    prefix = deps.conf.network.base_mac.split(":")[:3]
    mac = ":".join([*prefix, *(f"{random.randint(0, 255):02x}" for _ in range(3))])
    await conn.execute(
        insert(Port).values(
            id=port_id,
            project_id=net["project_id"],
            network_id=net["id"],
            mac_address=mac,
            device_owner="network:dhcp",
            device_id=f"dhcp{uuid.uuid5(uuid.NAMESPACE_DNS, 'kilocloud')}-{net['id']}",
            status="ACTIVE",
            port_security_enabled=False,
            security_groups=[],
            allowed_address_pairs=[],
            extra_dhcp_opts=[],
            binding_profile={},
            binding_vif_details={},
        )
    )
    return port_id


_COLUMNS = (
    "project_id",
    "network_id",
    "name",
    "description",
    "admin_state_up",
    "device_id",
    "device_owner",
    "port_security_enabled",
)
_BINDING = {
    "binding:host_id": "binding_host_id",
    "binding:vnic_type": "binding_vnic_type",
    "binding:profile": "binding_profile",
}


def _pairs(pairs: list[dict] | None, mac: str) -> list[dict[str, str]]:
    return [
        {"ip_address": p["ip_address"], "mac_address": p.get("mac_address") or mac}
        for p in pairs or []
    ]


def _owner_target(changes: dict) -> dict:
    owner = changes.get("device_owner")
    return {} if owner is None else {"device_owner_prefix": owner[:8]}


def _security_fields(current: dict) -> dict:
    return {
        k: current[k]
        for k in (
            "security_groups",
            "port_security_enabled",
            "allowed_address_pairs",
            "device_owner",
        )
    }


def _sg_filter(values: list[str]) -> ColumnElement:
    # the ids are held as a JSON list: its text holds each id in quotes
    return or_(*(cast(Port.security_groups, String).like(f'%"{v}"%') for v in values))


def _in_data_plane(port: dict[str, Any]) -> bool:
    """Whether an agent plugs or serves the port: bound to a host, or the network's own."""
    return bool(port["binding:host_id"]) or port["device_owner"].startswith("network:")


def _policy_fields(net: dict[str, Any]) -> dict[str, Any]:
    return {k: net[k] for k in ("project_id", "shared", "router:external")}


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "_network"}


def _view(row: Any, ips: list[dict], tags: list[str], net: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "network_id": row.network_id,
        "admin_state_up": row.admin_state_up,
        "status": row.status,
        "mac_address": row.mac_address,
        "fixed_ips": ips,
        "device_id": row.device_id,
        "device_owner": row.device_owner,
        "security_groups": row.security_groups,
        "port_security_enabled": row.port_security_enabled,
        "allowed_address_pairs": row.allowed_address_pairs,
        "extra_dhcp_opts": row.extra_dhcp_opts,
        "binding:host_id": row.binding_host_id,
        "binding:vnic_type": row.binding_vnic_type,
        "binding:profile": row.binding_profile,
        "binding:vif_type": row.binding_vif_type,
        "binding:vif_details": row.binding_vif_details,
        "ip_allocation": "immediate",
        **records.standard(row, tags),
        "_network": net,
    }
