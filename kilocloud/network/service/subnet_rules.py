"""The checks a subnet passes before it is written (neutron's _validate_subnet, in order)."""

from __future__ import annotations

import ipaddress
from typing import Any

from sqlalchemy import func, select

from kilocloud.core.db import Connection
from kilocloud.network import errors, ipam
from kilocloud.network.models import IPAllocation, Port, RouterPort

SLAAC = ("slaac", "dhcpv6-stateless")


def _invalid(message: str) -> errors.NeutronError:
    return errors.InvalidInput(error_message=message)


def check_subnet(values: dict[str, Any], others: list[str]) -> None:
    """The CIDR, version, gateway, IPv6 modes, DNS and routes of a new subnet."""
    version, cidr = values["ip_version"], values["cidr"]
    if version not in (4, 6):
        raise _invalid(f"'{version}' is not in [4, 6]")
    if cidr is None:
        raise errors.InvalidInput(
            error_message="A cidr must be specified in the absence of a subnet pool"
        )
    net = ipaddress.ip_network(cidr)
    if net.version != version:
        raise _invalid(f"Cidr {cidr} does not match the ip_version {version}")
    if net.prefixlen == 0:
        raise _invalid("0 is not allowed as CIDR prefix length")
    _check_dhcp_range(values, net)
    for other in others:
        if net.overlaps(ipaddress.ip_network(other)):
            raise _invalid(
                f"Requested subnet with cidr: {cidr} for network: {values['network_id']} "
                "overlaps with another subnet"
            )
    _check_gateway(values["gateway_ip"], net)
    _check_ipv6_modes(values, net)
    for server in values["dns_nameservers"]:
        if ipaddress.ip_address(server).version != version:
            raise _invalid(f"dns_nameserver {server} does not match the ip_version {version}")
    check_routes(values["host_routes"], version)


def _check_dhcp_range(values: dict[str, Any], net: Any) -> None:
    if not values["enable_dhcp"]:
        return
    if net.version == 4 and (net.prefixlen > 30 or net.is_multicast or net.is_loopback):
        raise _invalid(f"Invalid CIDR {net} for IPv4 DHCP subnet: prefix must be /30 or shorter")
    if net.version == 6 and (net.prefixlen > 126 or net.is_multicast or net.is_loopback):
        raise _invalid(f"Invalid CIDR {net} for IPv6 DHCP subnet: prefix must be /126 or shorter")


def _check_gateway(gateway: str | None, net: Any) -> None:
    if gateway in (None, "auto"):
        return
    ip = ipaddress.ip_address(gateway)
    if ip.version != net.version:
        raise _invalid(f"gateway_ip {gateway} does not match the ip_version {net.version}")
    if ip in net and net.version == 4 and ip in (net.network_address, net.broadcast_address):
        raise _invalid("Gateway is not valid on subnet")


def _check_ipv6_modes(values: dict[str, Any], net: Any) -> None:
    ra, addr = values["ipv6_ra_mode"], values["ipv6_address_mode"]
    if not (ra or addr):
        return
    if net.version == 4:
        raise _invalid("ipv6_ra_mode or ipv6_address_mode cannot be set when ip_version is 4")
    if ra and addr and ra != addr:
        raise _invalid(
            f"ipv6_ra_mode set to '{ra}' with ipv6_address_mode set to '{addr}' is not valid. "
            "If both attributes are set, they must be the same value"
        )
    if not values["enable_dhcp"]:
        raise _invalid(
            "ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False."
        )
    if (ra in SLAAC or addr in SLAAC) and net.prefixlen != 64:
        raise _invalid(
            f"Invalid CIDR {net} for IPv6 address mode. OpenStack uses the EUI-64 address "
            "format, which requires the prefix to be /64"
        )


def check_routes(routes: list[dict[str, str]], version: int) -> None:
    """Host routes of the subnet's IP version."""
    for route in routes:
        dest = ipaddress.ip_network(route["destination"])
        hop = ipaddress.ip_address(route["nexthop"])
        if dest.version != version or hop.version != version:
            raise errors.InvalidInput(
                error_message=f"Host route {route} does not match the ip_version {version}"
            )


async def check_update(conn: Connection, current: dict[str, Any], changes: dict[str, Any]) -> None:
    """Gateway, pools, DNS and routes of a subnet update."""
    net = ipaddress.ip_network(current["cidr"])
    gateway = changes.get("gateway_ip", current["gateway_ip"])
    if "gateway_ip" in changes:
        _check_gateway(gateway, net)
        await _gateway_free(conn, current, changes["gateway_ip"])
    if "allocation_pools" in changes or "gateway_ip" in changes:
        pools = changes.get("allocation_pools") or current["allocation_pools"]
        if changes.get("allocation_pools") is None and "allocation_pools" in changes:
            pools = ipam.default_pools(current["cidr"], gateway)
            changes["allocation_pools"] = pools
        ipam.check_pools(current["cidr"], pools, gateway)
    for server in changes.get("dns_nameservers", []):
        if ipaddress.ip_address(server).version != net.version:
            raise _invalid(f"dns_nameserver {server} does not match the ip_version {net.version}")
    check_routes(changes.get("host_routes", []), net.version)
    if changes.get("enable_dhcp") is True:
        _check_dhcp_range({"enable_dhcp": True}, net)


async def _gateway_free(conn: Connection, current: dict[str, Any], new: str | None) -> None:
    """A router interface holding the old gateway address keeps it (409 GatewayIpInUse)."""
    old = current["gateway_ip"]
    if old is None or old == new:
        return
    held = await conn.scalar(
        select(func.count())
        .select_from(IPAllocation)
        .join(Port, Port.id == IPAllocation.port_id)
        .join(RouterPort, RouterPort.port_id == Port.id)
        .where(IPAllocation.subnet_id == current["id"], IPAllocation.ip_address == old)
    )
    if held:
        raise errors.GatewayIpInUse(ip_address=old)
