"""Read-only views: availability zones (from the agents) and network IP availability."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kilocloud.core.context import RequestContext
from kilocloud.network import errors, ipam
from kilocloud.network.errors import PolicyNotAuthorized
from kilocloud.network.models import Agent, IPAllocation, Network, Subnet
from kilocloud.network.service.agents import alive
from kilocloud.network.service.deps import NetworkDeps

RESOURCE_OF = {"DHCP agent": "network", "L3 agent": "router"}


class Availability:
    """GET /v2.0/availability_zones and /v2.0/network-ip-availabilities."""

    def __init__(self, deps: NetworkDeps) -> None:
        self.deps = deps

    async def zones(self, ctx: RequestContext, params: list[tuple[str, str]]) -> list[dict]:
        """Zones of the DHCP and L3 agents; available while one of them is alive."""
        async with self.deps.db.connect() as conn:
            agents = list(await conn.execute(select(Agent)))
        zones: dict[tuple[str, str], bool] = {}
        default = self.deps.conf.network.default_availability_zone
        for agent in agents:
            resource = RESOURCE_OF.get(agent.agent_type)
            if resource:
                key = (agent.availability_zone or default, resource)
                up = agent.admin_state_up and alive(agent, self.deps.conf.network.agent_down_time)
                zones[key] = zones.get(key, False) or up
        found = [
            {"name": n, "resource": r, "state": "available" if up else "unavailable"}
            for (n, r), up in sorted(zones.items())
        ]
        wanted = {}
        for key, value in params:
            wanted.setdefault(key, set()).add(value)
        return [z for z in found if all(z.get(k) in v for k, v in wanted.items())]

    async def ip_availabilities(
        self, ctx: RequestContext, params: list[tuple[str, str]]
    ) -> list[dict]:
        """Used and total addresses per network and subnet (admin)."""
        if not self.deps.policy.check(
            ctx, "get_network_ip_availability", {"project_id": ctx.project_id}
        ):
            raise PolicyNotAuthorized(action="get_network_ip_availability")
        filters = {
            k: v
            for k, v in params
            if k in ("network_id", "network_name", "project_id", "ip_version")
        }
        async with self.deps.db.connect() as conn:
            networks = list(await conn.execute(select(Network)))
            subnets = list(await conn.execute(select(Subnet)))
            used = dict(
                list(
                    await conn.execute(
                        select(IPAllocation.subnet_id, func.count()).group_by(
                            IPAllocation.subnet_id
                        )
                    )
                )
            )
        found = [_network(n, [s for s in subnets if s.network_id == n.id], used) for n in networks]
        return [f for f in found if _matches(f, filters)]

    async def ip_availability(self, ctx: RequestContext, network_id: str) -> dict:
        for found in await self.ip_availabilities(ctx, [("network_id", network_id)]):
            return found
        raise errors.NetworkNotFound(id=network_id)


def _matches(found: dict[str, Any], filters: dict[str, str]) -> bool:
    for key, value in filters.items():
        if key == "ip_version":
            if not any(str(s["ip_version"]) == value for s in found["subnet_ip_availability"]):
                return False
        elif found.get(key) != value:
            return False
    return True


def _network(row: Any, subnets: list[Any], used: dict[str, int]) -> dict[str, Any]:
    per_subnet = [
        {
            "subnet_id": s.id,
            "subnet_name": s.name,
            "cidr": s.cidr,
            "ip_version": s.ip_version,
            "total_ips": ipam.count(s.allocation_pools),
            "used_ips": used.get(s.id, 0),
        }
        for s in subnets
    ]
    return {
        "network_id": row.id,
        "network_name": row.name,
        "project_id": row.project_id,
        "tenant_id": row.project_id,
        "total_ips": sum(s["total_ips"] for s in per_subnet),
        "used_ips": sum(s["used_ips"] for s in per_subnet),
        "subnet_ip_availability": per_subnet,
    }
