"""Address allocation: pure rules over pools and addresses, and one atomic claim.

A claim is an INSERT of (subnet_id, ip_address), the table's primary key, that does nothing
when the address is held: two ports can never hold one address, whatever the backend, and a
lost race costs no rolled-back transaction, only another try with another free address.
"""

from __future__ import annotations

import functools
import ipaddress
import random
from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select

from kilocloud.core.db import Connection
from kilocloud.network import errors
from kilocloud.network.models import IPAllocation

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
CHOICES = 1000  # Neutron picks at random among the first this many free addresses
ATTEMPTS = 32
DRAWS = 8


def network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(cidr)


def first_host(cidr: str) -> str:
    """The default gateway: the first address after the network address."""
    return str(network(cidr).network_address + 1)


def default_pools(cidr: str, gateway: str | None) -> list[dict[str, str]]:
    """Neutron's pools: the CIDR without network (and v4 broadcast) address and the gateway."""
    net = network(cidr)
    first, last = net.network_address, net.broadcast_address
    if net.num_addresses > 2:
        first += 1
        if net.version == 4:
            last -= 1
    ranges = [(first, last)]
    if gateway:
        gw = ipaddress.ip_address(gateway)
        ranges = [r for lo, hi in ranges for r in _split(lo, hi, gw)]
    return [{"start": str(lo), "end": str(hi)} for lo, hi in ranges]


def _split(lo: Address, hi: Address, gw: Address) -> list[tuple[Address, Address]]:
    if not lo <= gw <= hi:
        return [(lo, hi)]
    return [(a, b) for a, b in ((lo, gw - 1), (gw + 1, hi)) if a <= b]


def check_pools(cidr: str, pools: list[dict[str, str]], gateway: str | None) -> None:
    """Pools must be ordered ranges inside the CIDR's host part, apart, and clear of the gateway."""
    net = network(cidr)
    ranges = []
    for pool in pools:
        lo, hi = ipaddress.ip_address(pool["start"]), ipaddress.ip_address(pool["end"])
        text = _pool_text(pool)
        if lo.version != net.version or hi.version != net.version or lo > hi:
            raise errors.InvalidAllocationPool(pool=text)
        if not (_usable(net, lo) and _usable(net, hi)):
            raise errors.OutOfBoundsAllocationPool(pool=text, subnet_cidr=cidr)
        ranges.append((lo, hi, text))
    ranges.sort()
    for (_, hi1, t1), (lo2, _, t2) in zip(ranges, ranges[1:], strict=False):
        if lo2 <= hi1:
            raise errors.OverlappingAllocationPools(pool_1=t1, pool_2=t2, subnet_cidr=cidr)
    if gateway:
        gw = ipaddress.ip_address(gateway)
        for lo, hi, text in ranges:
            if lo <= gw <= hi:
                raise errors.GatewayConflictWithAllocationPools(ip_address=gateway, pool=text)


def _pool_text(pool: dict[str, str]) -> str:
    return f"IPRange('{pool['start']}', '{pool['end']}')"


def _usable(net: Any, ip: Address) -> bool:
    if ip not in net:
        return False
    if net.version == 4 and net.num_addresses > 2:
        return ip not in (net.network_address, net.broadcast_address)
    return True


def valid_for_subnet(cidr: str, ip: str) -> bool:
    """An address a port may hold on the subnet: inside it, not its network/broadcast address."""
    return _usable(network(cidr), ipaddress.ip_address(ip))


def free(pools: list[dict[str, str]], taken: set[str], limit: int = CHOICES) -> list[str]:
    """The first `limit` addresses of the pools, in order, that are not `taken`."""
    found = []
    for ip in _addresses(pools):
        if ip not in taken:
            found.append(ip)
            if len(found) >= limit:
                break
    return found


def _addresses(pools: list[dict[str, str]]) -> Iterator[str]:
    for pool in pools:
        ip, end = ipaddress.ip_address(pool["start"]), ipaddress.ip_address(pool["end"])
        while ip <= end:
            yield str(ip)
            ip += 1


def count(pools: list[dict[str, str]]) -> int:
    """How many addresses the pools hold."""
    return sum(
        int(ipaddress.ip_address(p["end"])) - int(ipaddress.ip_address(p["start"])) + 1
        for p in pools
    )


def eui64(cidr: str, mac: str) -> str:
    """The SLAAC address of `mac` on an IPv6 /64."""
    octets = [int(x, 16) for x in mac.split(":")]
    octets[0] ^= 0x02
    iid = octets[:3] + [0xFF, 0xFE] + octets[3:]
    return str(network(cidr).network_address + int.from_bytes(bytes(iid), "big"))


async def taken(conn: Connection, subnet_id: str) -> set[str]:
    """The addresses held on a subnet."""
    stmt = select(IPAllocation.ip_address).where(IPAllocation.subnet_id == subnet_id)
    return set((await conn.execute(stmt)).scalars())


def random_address(pools: list[dict[str, str]]) -> str:
    """An address drawn evenly from all the pools."""
    ranges = [
        (int(ipaddress.ip_address(p["start"])), int(ipaddress.ip_address(p["end"]))) for p in pools
    ]
    pick = random.randrange(sum(hi - lo + 1 for lo, hi in ranges))
    for lo, hi in ranges:
        if pick <= hi - lo:
            return str(ipaddress.ip_address(lo + pick))
        pick -= hi - lo + 1
    raise AssertionError("unreachable")


async def claim(
    conn: Connection, subnet: Any, port_id: str, ip: str | None, lowest: bool = False
) -> str:
    """Hold `ip` (or a free pool address) on `subnet` for the port; 409 when it cannot be had.

    A free address is first drawn at random (a hit costs one statement); when draws keep
    finding held addresses, the free ones are listed and Neutron's rule applies: one of the
    first free addresses at random (the lowest for DHCP ports).
    """
    if ip is not None:
        if not await _insert(conn, subnet, port_id, ip):
            raise errors.IpAddressAlreadyAllocated(ip=ip, subnet_id=subnet.id)
        return ip
    if not lowest and subnet.allocation_pools:
        for _ in range(DRAWS):
            pick = random_address(subnet.allocation_pools)
            if await _insert(conn, subnet, port_id, pick):
                return pick
    held = await taken(conn, subnet.id)
    for _ in range(ATTEMPTS):
        choices = free(subnet.allocation_pools, held)
        if not choices:
            break
        pick = choices[0] if lowest else random.choice(choices)
        if await _insert(conn, subnet, port_id, pick):
            return pick
        held.add(pick)  # another transaction got it first
    raise errors.IpAddressGenerationFailure(id=subnet.network_id)


async def _insert(conn: Connection, subnet: Any, port_id: str, ip: str) -> bool:
    """INSERT the allocation unless the address is held (then nothing, and False)."""
    row = {"subnet_id": subnet.id, "ip_address": ip, "port_id": port_id}
    row["network_id"] = subnet.network_id
    return (await conn.execute(_insert_or_ignore(conn.dialect.name), row)).rowcount == 1


@functools.cache
def _insert_or_ignore(dialect: str) -> Any:
    """The statement, compiled once per dialect; rows are passed to it as parameters."""
    # the dialect modules are imported on first use: a SQLite cloud never loads the others
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(IPAllocation).on_conflict_do_nothing()
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(IPAllocation).on_conflict_do_nothing()
    return insert(IPAllocation).prefix_with("IGNORE")
