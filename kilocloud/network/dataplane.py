"""What one host must run, read from the database: the network agent's desired state.

DHCP and routers each run on one host: the one the port is bound to, else one of the live
agents chosen by a stable hash of the resource id (this host when no agent has reported yet).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from kilocloud.core.db import Database
from kilocloud.network.agent import state
from kilocloud.network.models import (
    Agent,
    FloatingIP,
    IPAllocation,
    Network,
    Port,
    Router,
    RouterPort,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
)
from kilocloud.network.service.agents import alive

AGENT_DOWN_AFTER = 75


async def desired(db: Database, host: str) -> state.DataPlane:
    """The networks, routers and security groups `host` must run."""
    async with db.connect() as conn:
        rows = {m: list(await conn.execute(select(m))) for m in _MODELS}
    hosts = sorted({a.host for a in rows[Agent] if alive(a, AGENT_DOWN_AFTER)}) or [host]
    return _plane(rows, host, hosts)


_MODELS = (
    Agent, Network, Subnet, Port, IPAllocation, Router, RouterPort, FloatingIP,
    SecurityGroup, SecurityGroupRule,
)  # fmt: skip


def _pick(resource_id: str, hosts: list[str]) -> str:
    return hosts[zlib.crc32(resource_id.encode()) % len(hosts)]


def _plane(rows: dict, host: str, hosts: list[str]) -> state.DataPlane:
    ips: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for a in rows[IPAllocation]:
        ips[a.port_id].append((a.subnet_id, a.ip_address))
    mtus = {n.id: n.mtu for n in rows[Network]}
    router_of = {rp.port_id: rp.router_id for rp in rows[RouterPort]}
    here = {r.id for r in rows[Router] if _pick(r.id, hosts) == host}
    ports = [
        _port(p, ips[p.id], mtus[p.network_id], _port_host(p, router_of, hosts)) for p in rows[Port]
    ]
    wanted = {p.network_id for p in ports if p.host == host}
    wanted |= {p.network_id for p in ports if router_of.get(p.id) in here}
    networks = [_network(n, rows[Subnet], ports) for n in rows[Network] if n.id in wanted]
    shown = [p for n in networks for p in n.ports]
    groups = _groups(rows, {g for p in shown for g in p.security_group_ids}, ports)
    by_id = {p.id: p for p in ports}
    routers = [_router(r, rows, by_id) for r in rows[Router] if r.id in here]
    return state.DataPlane(networks=networks, routers=routers, security_groups=groups)


def _port_host(row: Any, router_of: dict[str, str], hosts: list[str]) -> str | None:
    if row.binding_host_id:
        return row.binding_host_id
    if row.device_owner == "network:dhcp":
        return _pick(row.network_id, hosts)
    if row.id in router_of:
        return _pick(router_of[row.id], hosts)
    return None


def _port(row: Any, ips: list[tuple[str, str]], mtu: int, host: str | None) -> state.Port:
    return state.Port(
        id=row.id,
        network_id=row.network_id,
        mac=row.mac_address,
        fixed_ips=sorted(ips),
        device_owner=row.device_owner,
        device_id=row.device_id,
        host=host,
        mtu=mtu,
        security_group_ids=list(row.security_groups or []),
        port_security_enabled=row.port_security_enabled,
        allowed_address_pairs=[
            (p["ip_address"], p.get("mac_address")) for p in row.allowed_address_pairs or []
        ],
    )


def _network(row: Any, subnets: list[Any], ports: list[state.Port]) -> state.Network:
    return state.Network(
        id=row.id,
        network_type=row.network_type,
        segmentation_id=row.segmentation_id,
        physical_network=row.physical_network,
        mtu=row.mtu,
        external=row.external,
        subnets=[_subnet(s) for s in subnets if s.network_id == row.id],
        ports=[p for p in ports if p.network_id == row.id],
    )


def _subnet(row: Any) -> state.Subnet:
    return state.Subnet(
        id=row.id,
        cidr=row.cidr,
        ip_version=row.ip_version,
        gateway_ip=row.gateway_ip,
        enable_dhcp=row.enable_dhcp,
        dns_nameservers=list(row.dns_nameservers or []),
        host_routes=[(r["destination"], r["nexthop"]) for r in row.host_routes or []],
    )


def _groups(rows: dict, ids: set[str], ports: list[state.Port]) -> list[state.SecurityGroup]:
    rules: dict[str, list[state.Rule]] = defaultdict(list)
    for r in rows[SecurityGroupRule]:
        rules[r.security_group_id].append(
            state.Rule(
                direction=r.direction,
                ethertype=r.ethertype,
                protocol=r.protocol,
                port_range_min=r.port_range_min,
                port_range_max=r.port_range_max,
                remote_ip_prefix=r.remote_ip_prefix,
                remote_group_id=r.remote_group_id,
            )
        )
    ids |= {rule.remote_group_id for g in ids for rule in rules[g] if rule.remote_group_id}
    members: dict[str, list[str]] = defaultdict(list)
    for p in ports:
        for g in p.security_group_ids:
            members[g] += [ip for _, ip in p.fixed_ips]
    return [
        state.SecurityGroup(id=g.id, rules=rules[g.id], member_ips=sorted(members[g.id]))
        for g in rows[SecurityGroup]
        if g.id in ids
    ]


def _router(row: Any, rows: dict, ports: dict[str, state.Port]) -> state.Router:
    mine = [rp.port_id for rp in rows[RouterPort] if rp.router_id == row.id]
    interfaces = [ports[p] for p in mine if p in ports and p != row.gw_port_id]
    fips = [
        state.FloatingIp(
            id=f.id,
            floating_ip=f.floating_ip_address,
            fixed_ip=f.fixed_ip_address,
            port_id=f.port_id,
        )
        for f in rows[FloatingIP]
        if f.router_id == row.id
    ]
    return state.Router(
        id=row.id,
        gateway=ports.get(row.gw_port_id) if row.gw_port_id else None,
        enable_snat=row.enable_snat,
        interfaces=interfaces,
        routes=[(r["destination"], r["nexthop"]) for r in row.routes or []],
        floating_ips=fips,
    )
