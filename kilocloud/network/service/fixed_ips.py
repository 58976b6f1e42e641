"""A port's fixed IPs: which subnets they come from, as Neutron's IPAM backend chooses them."""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select

from kilocloud.core.db import Connection
from kilocloud.network import errors, ipam
from kilocloud.network.models import IPAllocation, Port, Subnet

AUTO_ADDRESS = ("slaac", "dhcpv6-stateless")
ROUTER = ("network:router_interface", "network:router_gateway")
DHCP = "network:dhcp"


async def subnets_of(conn: Connection, network_id: str) -> list[Any]:
    """The network's subnets in the order they were made."""
    stmt = (
        select(Subnet).where(Subnet.network_id == network_id).order_by(Subnet.created_at, Subnet.id)
    )
    return list(await conn.execute(stmt))


async def allocate(
    conn: Connection, net: dict, port_id: str, mac: str, requested: list[dict] | None, owner: str
) -> list[tuple[str, str]]:
    """Claim the requested addresses, or one per IP version (and SLAAC ones) when none asked;
    the (subnet_id, address) pairs held."""
    subnets = await subnets_of(conn, net["id"])
    if requested is None:
        return await _automatic(conn, net, subnets, port_id, mac, owner)
    held = []
    for subnet, ip in _resolve(net, subnets, requested):
        if ip is None and subnet.ipv6_address_mode in AUTO_ADDRESS:
            ip = ipam.eui64(subnet.cidr, mac)
        held.append((subnet.id, await ipam.claim(conn, subnet, port_id, ip, owner == DHCP)))
    return held


async def _automatic(
    conn: Connection, net: dict, subnets: list, port_id: str, mac: str, owner: str
) -> list[tuple[str, str]]:
    held = []
    for version in (4, 6):
        stateful = [
            s
            for s in subnets
            if s.ip_version == version and s.ipv6_address_mode not in AUTO_ADDRESS
        ]
        for subnet in stateful:
            try:
                held.append(
                    (subnet.id, await ipam.claim(conn, subnet, port_id, None, owner == DHCP))
                )
                break
            except errors.IpAddressGenerationFailure:
                continue
        else:
            if stateful:
                raise errors.IpAddressGenerationFailure(id=net["id"])
    if owner not in ROUTER:
        for subnet in subnets:
            if subnet.ipv6_address_mode in AUTO_ADDRESS:
                address = ipam.eui64(subnet.cidr, mac)
                held.append((subnet.id, await ipam.claim(conn, subnet, port_id, address)))
    return held


def _resolve(net: dict, subnets: list, requested: list[dict]) -> list[tuple[Any, str | None]]:
    by_id = {s.id: s for s in subnets}
    out = []
    for entry in requested:
        subnet_id, ip = entry.get("subnet_id"), entry.get("ip_address")
        if subnet_id is None and ip is None:
            raise errors.InvalidInput(
                error_message="IP allocation requires subnet_id or ip_address"
            )
        if subnet_id is not None:
            subnet = by_id.get(subnet_id)
            if subnet is None:
                raise errors.InvalidInput(
                    error_message=f"Failed to create port on network {net['id']}, "
                    f"because fixed_ips included invalid subnet {subnet_id}"
                )
            if ip is not None and not ipam.valid_for_subnet(subnet.cidr, ip):
                raise errors.InvalidIpForSubnet(ip=ip)
        else:
            subnet = next((s for s in subnets if ipam.valid_for_subnet(s.cidr, ip)), None)
            if subnet is None:
                raise errors.InvalidIpForNetwork(ip=ip)
        out.append((subnet, ip))
    return out


async def replace(conn: Connection, net: dict, port: dict, requested: list[dict]) -> None:
    """Set a port's addresses to `requested`: kept ones stay, others are released or claimed."""
    held = {(f["subnet_id"], f["ip_address"]) for f in port["fixed_ips"]}
    subnets = await subnets_of(conn, net["id"])
    wanted = _resolve(net, subnets, requested)
    keep = {(s.id, ip) for s, ip in wanted if (s.id, ip) in held}
    kept_subnets = {s for s, ip in wanted if ip is None and any(h[0] == s.id for h in held)}
    for subnet_id, ip in held - keep:
        if subnet_id in {s.id for s in kept_subnets}:
            keep.add((subnet_id, ip))
            continue
        await conn.execute(
            delete(IPAllocation).where(
                IPAllocation.subnet_id == subnet_id, IPAllocation.ip_address == ip
            )
        )
    kept_ids = {s for s, _ in keep}
    for subnet, ip in wanted:
        if (subnet.id, ip) in keep or (ip is None and subnet.id in kept_ids):
            continue
        if ip is None and subnet.ipv6_address_mode in AUTO_ADDRESS:
            ip = ipam.eui64(subnet.cidr, port["mac_address"])
        await ipam.claim(conn, subnet, port["id"], ip)


def filter_clause(values: list[str]) -> ColumnElement:
    """`fixed_ips=ip_address=X`, `subnet_id=Y` and `ip_address_substr=Z` as port filters."""
    clauses = []
    for value in values:
        key, _, wanted = value.partition("=")
        column = {
            "ip_address": IPAllocation.ip_address,
            "subnet_id": IPAllocation.subnet_id,
            "ip_address_substr": IPAllocation.ip_address,
        }.get(key)
        if column is None:
            raise errors.InvalidInput(error_message=f"Invalid fixed_ips filter {value}")
        if key == "ip_address":
            try:
                wanted = str(ipaddress.ip_address(wanted))
            except ValueError:
                raise errors.InvalidInput(
                    error_message=f"'{wanted}' is not a valid IP address"
                ) from None
        match = column.contains(wanted) if key.endswith("substr") else column == wanted
        clauses.append(match)
    return Port.id.in_(select(IPAllocation.port_id).where(and_(*clauses) if clauses else or_()))
