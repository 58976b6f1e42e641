"""Routers: external gateways, extra routes, and the rules for deleting them."""

from __future__ import annotations

import dataclasses
import ipaddress
import uuid
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import FloatingIP, IPAllocation, Port, Router, RouterPort, Subnet, Tag
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection
from kilocloud.network.service.ports import remove
from kilocloud.network.service.quotas import check_quota

GATEWAY = "network:router_gateway"


class Routers(Collection):
    kind, model, attrs, not_found = "router", Router, schemas.ROUTER, errors.RouterNotFound

    def __init__(self, deps: Any, networks: Any, subnets: Any, ports: Any) -> None:
        super().__init__(deps)
        self.networks, self.subnets, self.ports = networks, subnets, ports

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        tags = await records.tags_of(conn, [r.id for r in rows])
        gateways = {r.gw_port_id: r.id for r in rows if r.gw_port_id}
        ips: dict[str, list[dict]] = {p: [] for p in gateways}
        nets: dict[str, str] = {}
        if gateways:
            found = await conn.execute(
                select(IPAllocation).where(IPAllocation.port_id.in_(list(gateways)))
            )
            for a in found:
                ips[a.port_id].append({"subnet_id": a.subnet_id, "ip_address": a.ip_address})
                nets[a.port_id] = a.network_id
            for port in await self._gateway_networks(conn, list(gateways)):
                nets[port[0]] = port[1]
        return [_view(r, ips, nets, tags[r.id]) for r in rows]

    async def _gateway_networks(self, conn: Connection, port_ids: list[str]) -> list:
        return list(
            await conn.execute(select(Port.id, Port.network_id).where(Port.id.in_(port_ids)))
        )

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /routers, with its gateway when one is asked for."""
        given = body.unwrap(data, "router")
        values = body.for_create(ctx, given, self.attrs)
        tgt = {"project_id": values["project_id"], "tenant_id": values["project_id"]}
        self.access.enforce_attrs(ctx, "create", body.given(given), tgt)
        async with self.deps.db.transaction() as conn:
            await check_quota(self.deps, conn, values["project_id"], "router", Router)
            router_id = str(uuid.uuid4())
            await conn.execute(
                insert(Router).values(
                    id=router_id,
                    **{
                        k: values[k]
                        for k in ("project_id", "name", "description", "admin_state_up")
                    },
                    distributed=values["distributed"],
                    ha=values["ha"],
                    routes=[],
                    availability_zone_hints=values["availability_zone_hints"],
                )
            )
            if values["external_gateway_info"]:
                await self._set_gateway(ctx, conn, router_id, values["external_gateway_info"])
            item = await self.item(conn, router_id)
        await self.deps.notify(ctx, "router.create.end", {"router": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def _set_gateway(
        self, ctx: RequestContext, conn: Connection, router_id: str, info: dict
    ) -> None:
        if "network_id" not in info:
            raise errors.InvalidInput(
                error_message="network_id is required in external_gateway_info"
            )
        net = await self.networks.item(conn, info["network_id"])
        if not net["router:external"]:
            raise errors.BadResourceRequest(
                resource="router", msg=f"Network {net['id']} is not an external network"
            )
        port = {
            "network_id": net["id"],
            "device_owner": GATEWAY,
            "device_id": router_id,
            "project_id": await conn.scalar(
                select(Router.project_id).where(Router.id == router_id)
            ),
            "fixed_ips": info.get("external_fixed_ips"),
        }
        port_id = (await self.ports.insert(as_service(ctx), conn, port, trusted=True))["id"]
        await conn.execute(
            insert(RouterPort).values(port_id=port_id, router_id=router_id, port_type=GATEWAY)
        )
        snat = info.get("enable_snat", True)
        await conn.execute(
            update(Router)
            .where(Router.id == router_id)
            .values(gw_port_id=port_id, enable_snat=snat)
        )

    async def _clear_gateway(self, conn: Connection, router: dict) -> None:
        info = router["external_gateway_info"]
        if not info:
            return
        used = await conn.scalar(select(func.count()).where(FloatingIP.router_id == router["id"]))
        if used:
            raise errors.RouterExternalGatewayInUseByFloatingIp(
                router_id=router["id"], net_id=info["network_id"]
            )
        port_id = await conn.scalar(select(Router.gw_port_id).where(Router.id == router["id"]))
        await conn.execute(update(Router).where(Router.id == router["id"]).values(gw_port_id=None))
        await remove(conn, port_id)

    async def update(
        self, ctx: RequestContext, router_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /routers/{id}: name, state, gateway, extra routes."""
        changes = body.for_update(body.unwrap(data, "router"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, router_id, "update")
            self.access.enforce_attrs(ctx, "update", changes, self.target(current))
            records.check_revision(if_match, current["revision_number"])
            if "external_gateway_info" in changes:
                await self._gateway_change(ctx, conn, current, changes.pop("external_gateway_info"))
            if "routes" in changes:
                changes["routes"] = await self._check_routes(
                    conn, router_id, changes["routes"] or []
                )
            await records.bump(conn, Router, router_id, **changes)
            item = await self.item(conn, router_id)
        await self.deps.notify(ctx, "router.update.end", {"router": item})
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def _gateway_change(
        self, ctx: RequestContext, conn: Connection, current: dict, info: dict | None
    ) -> None:
        old = current["external_gateway_info"]
        if info and old and info.get("network_id", old["network_id"]) == old["network_id"]:
            if "enable_snat" in info:
                await conn.execute(
                    update(Router)
                    .where(Router.id == current["id"])
                    .values(enable_snat=info["enable_snat"])
                )
            if info.get("external_fixed_ips") is None:
                return
        await self._clear_gateway(conn, current)
        if info:
            await self._set_gateway(ctx, conn, current["id"], {**(old or {}), **info})

    async def _check_routes(
        self, conn: Connection, router_id: str, routes: list[dict]
    ) -> list[dict]:
        attached = select(IPAllocation.subnet_id).join(
            RouterPort, RouterPort.port_id == IPAllocation.port_id
        )
        cidrs = list(
            (
                await conn.execute(
                    select(Subnet.cidr).where(
                        Subnet.id.in_(attached.where(RouterPort.router_id == router_id))
                    )
                )
            ).scalars()
        )
        for route in routes:
            hop = ipaddress.ip_address(route["nexthop"])
            if not any(hop in ipaddress.ip_network(c) for c in cidrs):
                raise errors.InvalidRoutes(
                    routes=routes, reason="the nexthop is not connected with router"
                )
        return [{"destination": r["destination"], "nexthop": r["nexthop"]} for r in routes]

    async def change_routes(
        self, ctx: RequestContext, router_id: str, data: Any, adding: bool
    ) -> dict:
        """PUT /routers/{id}/add_extraroutes|remove_extraroutes."""
        routes = (
            body.for_update(body.unwrap(data, "router"), {"routes": self.attrs["routes"]}).get(
                "routes"
            )
            or []
        )
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, router_id, "update")
            have = current["routes"]
            if adding:
                merged = have + [r for r in routes if r not in have]
            else:
                merged = [r for r in have if r not in routes]
            await records.bump(
                conn, Router, router_id, routes=await self._check_routes(conn, router_id, merged)
            )
            item = await self.item(conn, router_id)
        await self.deps.changed(ctx)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, router_id: str, if_match: int | None) -> None:
        """DELETE /routers/{id}: 409 while it has interfaces."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, router_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            interfaces = await conn.scalar(
                select(func.count()).where(
                    RouterPort.router_id == router_id, RouterPort.port_type != GATEWAY
                )
            )
            if interfaces:
                raise errors.RouterInUse(id=router_id, reason="still has ports")
            await self._clear_gateway(conn, current)
            await conn.execute(delete(Tag).where(Tag.resource_id == router_id))
            await conn.execute(delete(Router).where(Router.id == router_id))
        await self.deps.notify(
            ctx, "router.delete.end", {"router_id": router_id, "router": current}
        )
        await self.deps.changed(ctx)


def as_service(ctx: RequestContext) -> RequestContext:
    """The caller acting as the service itself (ports it makes for routers and floating IPs)."""
    return dataclasses.replace(ctx, roles=[*ctx.roles, "admin"])


def _view(row: Any, ips: dict, nets: dict, tags: list[str]) -> dict[str, Any]:
    gateway = None
    if row.gw_port_id:
        gateway = {
            "network_id": nets.get(row.gw_port_id),
            "enable_snat": row.enable_snat,
            "external_fixed_ips": ips.get(row.gw_port_id, []),
        }
    return {
        "id": row.id,
        "name": row.name,
        "admin_state_up": row.admin_state_up,
        "status": row.status,
        "external_gateway_info": gateway,
        "routes": row.routes or [],
        "distributed": row.distributed,
        "ha": row.ha,
        "availability_zone_hints": row.availability_zone_hints or [],
        "availability_zones": [],
        "flavor_id": None,
        **records.standard(row, tags),
    }
