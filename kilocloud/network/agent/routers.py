"""Routers: a qrouter namespace each, with interfaces, routes, SNAT and floating IPs (nftables)."""

from __future__ import annotations

import contextlib
import ipaddress

from pyroute2.netlink.exceptions import NetlinkError

from kilocloud.network.agent import names, netlink, vifs
from kilocloud.network.agent.state import DataPlane, Port, Router, Subnet

METADATA_IP = "169.254.169.254"
METADATA_PORT = 9697  # where the agent's metadata proxy listens inside each router


def subnets_by_id(desired: DataPlane) -> dict[str, Subnet]:
    """Every subnet this host knows, by id."""
    return {s.id: s for network in desired.networks for s in network.subnets}


def cidrs(port: Port, subnets: dict[str, Subnet]) -> list[str]:
    """The port's addresses with their subnets' prefix lengths."""
    found = []
    for subnet_id, ip in port.fixed_ips:
        if subnet_id in subnets:
            found.append(f"{ip}/{ipaddress.ip_network(subnets[subnet_id].cidr).prefixlen}")
    return found


def sync_router(host_ns: str, ns: str, router: Router, subnets: dict[str, Subnet]) -> None:
    """Make one router's namespace match it."""
    netlink.ensure_ns(ns)
    netlink.sysctl(ns, {"net.ipv4.ip_forward": "1"})
    devices = {names.inner("qr", p.id): (p, cidrs(p, subnets)) for p in router.interfaces}
    gateway = router.gateway
    if gateway is not None:
        fips = [f"{f.floating_ip}/32" for f in router.floating_ips]
        devices[names.inner("qg", gateway.id)] = (gateway, cidrs(gateway, subnets) + fips)
    target = f"/var/run/netns/{ns}"
    for inner, (port, addresses) in devices.items():
        vifs.veth_into(host_ns, port, target, inner)
        with netlink.ipr(ns) as ip:
            netlink.set_addresses(ip, inner, addresses)
    with netlink.ipr(ns) as ip:
        for name, link in netlink.links(ip).items():
            if name[:3] in ("qr-", "qg-") and name not in devices:
                with contextlib.suppress(NetlinkError):
                    ip.link("del", index=link["index"])
        netlink.set_routes(ip, _routes(router, subnets))
    netlink.nft(ns, nat_ruleset(router, subnets))


def _routes(router: Router, subnets: dict[str, Subnet]) -> list[tuple[str, str]]:
    routes = list(router.routes)
    if router.gateway is not None:
        for subnet_id, _ in router.gateway.fixed_ips:
            subnet = subnets.get(subnet_id)
            if subnet and subnet.gateway_ip and subnet.ip_version == 4:
                routes.append(("0.0.0.0/0", subnet.gateway_ip))
                break
    return routes


def nat_ruleset(router: Router, subnets: dict[str, Subnet]) -> str:
    """The router's NAT: metadata redirect, DNAT/SNAT per floating IP, SNAT to the gateway."""
    pre = [f'iifname "qr-*" ip daddr {METADATA_IP} tcp dport 80 redirect to :{METADATA_PORT}']
    out, post = [], []
    gateway = router.gateway
    if gateway is not None:
        qg = names.inner("qg", gateway.id)
        post.append(f'oifname != "{qg}" ct status & dnat == 0 accept')
        for fip in router.floating_ips:
            if fip.fixed_ip:
                pre.append(f"ip daddr {fip.floating_ip} dnat to {fip.fixed_ip}")
                out.append(f"ip daddr {fip.floating_ip} dnat to {fip.fixed_ip}")
                post.append(f"ip saddr {fip.fixed_ip} snat to {fip.floating_ip}")
        v4 = [ip for sid, ip in gateway.fixed_ips if subnets.get(sid) and ":" not in ip]
        if router.enable_snat and v4:
            post.append(f'oifname "{qg}" snat to {v4[0]}')
    return "\n".join(
        [
            "add table ip kcnat",
            "delete table ip kcnat",
            "table ip kcnat {",
            *_chain("prerouting", "prerouting priority dstnat", pre),
            *_chain("output", "output priority -100", out),
            *_chain("postrouting", "postrouting priority srcnat", post),
            # the metadata proxy trusts source addresses: only the router's interfaces reach it
            "  chain input {",
            "    type filter hook input priority filter; policy accept;",
            f'    tcp dport {METADATA_PORT} iifname != "qr-*" drop',
            "  }",
            "}",
            "",
        ]
    )


def _chain(name: str, hook: str, rules: list[str]) -> list[str]:
    head = [f"  chain {name} {{", f"    type nat hook {hook}; policy accept;"]
    return head + [f"    {rule}" for rule in rules] + ["  }"]
