"""Security groups as one nftables ruleset in the host namespace.

Bridged IP traffic reaches the inet hooks through br_netfilter (with conntrack); which ports a
packet comes from and goes to is carried in its mark, set by the bridge family hooks: the low 16
bits name the sending port, the high 16 bits the receiving one. Anti-spoofing is stateless and
stays in the bridge family.
"""

from __future__ import annotations

import ipaddress

from kilocloud.network.agent import names
from kilocloud.network.agent.state import DataPlane, Port, Rule, SecurityGroup

TABLE = "kcfilter"
PROTOCOLS = {"icmp": 1, "tcp": 6, "udp": 17, "sctp": 132, "icmpv6": 58, "ipv6-icmp": 58}
PORTED = {6: "tcp", 17: "udp", 132: "sctp"}
ND = "nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, mld-listener-query"


def filtered_ports(desired: DataPlane, host: str) -> list[Port]:
    """The ports this host filters: its servers' ports with port security, in a stable order."""
    ports = [
        port
        for network in desired.networks
        for port in network.ports
        if port.port_security_enabled
        and not port.device_owner.startswith("network:")
        and port.host in (host, None)
    ]
    return sorted(ports, key=lambda port: port.id)


def ruleset(desired: DataPlane, host: str) -> str:
    """The whole filter ruleset of the host namespace, replacing the previous one atomically."""
    ports = filtered_ports(desired, host)
    groups = {group.id: group for group in desired.security_groups}
    text = [f"add table bridge {TABLE}", f"delete table bridge {TABLE}"]
    text += [f"add table inet {TABLE}", f"delete table inet {TABLE}"]
    text += _bridge_table(ports) + _inet_table(ports, groups, _zones(desired))
    return "\n".join(text) + "\n"


def _zones(desired: DataPlane) -> list[str]:
    """One conntrack zone per network, so that networks with the same addresses never share
    connection state (br_netfilter gives bridged packets the bridge as their input device)."""
    networks = sorted(desired.networks, key=lambda n: n.id)
    zones = [f'"{names.bridge(network.id)}" : {zone}' for zone, network in enumerate(networks, 1)]
    if not zones:
        return []
    return [
        "  chain zones {",
        "    type filter hook prerouting priority raw; policy accept;",
        f"    ct zone set iifname map {{ {', '.join(zones)} }}",
        "  }",
    ]


def _bridge_table(ports: list[Port]) -> list[str]:
    marks, outs, spoofs = [], [], []
    for number, port in enumerate(ports, 1):
        tap = names.tap(port.id)
        marks.append(f'    iifname "{tap}" meta mark set {number:#x} jump spoof_{number}')
        outs.append(f'    oifname "{tap}" meta mark set meta mark | {number << 16:#x}')
        spoofs += [f"  chain spoof_{number} {{", *_spoof_rules(port), "    drop", "  }"]
    return [
        f"table bridge {TABLE} {{",
        "  chain prerouting {",
        "    type filter hook prerouting priority -300; policy accept;",
        "    meta mark set 0x0",
        *marks,
        "  }",
        "  chain forward {",
        "    type filter hook forward priority -200; policy accept;",
        *outs,
        "  }",
        *spoofs,
        "}",
    ]


def _spoof_rules(port: Port) -> list[str]:
    """Return for the MAC/IP pairs a port may send from: its own and its allowed address pairs."""
    allowed: dict[str, list[str]] = {port.mac: [ip for _, ip in port.fixed_ips]}
    for address, mac in port.allowed_address_pairs:
        allowed.setdefault(mac or port.mac, []).append(address)
    rules = []
    for mac, addresses in allowed.items():
        v4 = [a for a in addresses if ipaddress.ip_network(a, strict=False).version == 4]
        v6 = ["fe80::/64"] + [a for a in addresses if a not in v4]
        rules.append(f"    ether saddr {mac} ip saddr 0.0.0.0 udp dport 67 return")
        rules.append(f"    ether saddr {mac} ip6 saddr :: return")
        rules.append(f"    ether saddr {mac} ip6 saddr {_set(v6)} return")
        if v4:
            rules.append(f"    ether saddr {mac} ip saddr {_set(v4)} return")
            rules.append(f"    ether saddr {mac} arp saddr ip {_set(v4)} return")
    return rules


def _inet_table(ports: list[Port], groups: dict[str, SecurityGroup], zones: list[str]) -> list[str]:
    egress_map = ", ".join(f"{n:#x} : jump egress_{n}" for n in range(1, len(ports) + 1))
    ingress_map = ", ".join(f"{n << 16:#x} : jump ingress_{n}" for n in range(1, len(ports) + 1))
    chains = []
    for number, port in enumerate(ports, 1):
        found = [groups[gid] for gid in port.security_group_ids if gid in groups]
        rules = [rule for group in found for rule in group.rules]
        chains += _port_chains(number, rules, groups)
    dispatch = []
    if ports:
        dispatch = [
            f"    meta mark & 0xffff vmap {{ {egress_map} }}",
            f"    meta mark & 0xffff0000 vmap {{ {ingress_map} }}",
        ]
    return [
        f"table inet {TABLE} {{",
        *zones,
        "  chain forward {",
        "    type filter hook forward priority 0; policy accept;",
        "    meta mark 0x0 accept",
        "    ct state established,related accept",
        "    ct state invalid drop",
        *dispatch,
        "  }",
        *chains,
        "}",
    ]


def _port_chains(number: int, rules: list[Rule], groups: dict[str, SecurityGroup]) -> list[str]:
    """egress_N returns what a port may send (drops the rest); ingress_N accepts what it may get."""
    egress = ["    udp sport 68 udp dport 67 return", "    udp sport 67 udp dport 68 drop"]
    ingress = ["    udp sport 67 udp dport 68 accept", f"    icmpv6 type {{ {ND} }} accept"]
    egress.append(f"    icmpv6 type {{ {ND.replace('router-advert', 'router-solicit')} }} return")
    for rule in rules:
        match = _match(rule, groups)
        if match is None:
            continue
        if rule.direction == "egress":
            egress.append(f"    {match} return")
        else:
            ingress.append(f"    {match} accept")
    return [
        f"  chain egress_{number} {{",
        *egress,
        "    drop",
        "  }",
        f"  chain ingress_{number} {{",
        *ingress,
        "    drop",
        "  }",
    ]


def _match(rule: Rule, groups: dict[str, SecurityGroup]) -> str | None:
    """The nft match of one rule; None when it can match nothing (an empty remote group)."""
    v4 = rule.ethertype == "IPv4"
    family = "ip" if v4 else "ip6"
    parts = [f"meta nfproto {'ipv4' if v4 else 'ipv6'}"]
    side = "saddr" if rule.direction == "ingress" else "daddr"
    if rule.remote_ip_prefix:
        parts.append(f"{family} {side} {rule.remote_ip_prefix}")
    elif rule.remote_group_id:
        group = groups.get(rule.remote_group_id)
        members = [ip for ip in (group.member_ips if group else []) if (":" in ip) != v4]
        if not members:
            return None
        parts.append(f"{family} {side} {_set(members)}")
    parts += _protocol(rule, v4)
    return " ".join(parts)


def _protocol(rule: Rule, v4: bool) -> list[str]:
    if rule.protocol in (None, "", "any", "0"):
        return []
    number = PROTOCOLS.get(rule.protocol.lower()) if not rule.protocol.isdigit() else None
    number = number if number is not None else int(rule.protocol)
    if number in (1, 58):
        number = 1 if v4 else 58
        kind = "icmp" if v4 else "icmpv6"
        parts = [f"meta l4proto {number}"]
        if rule.port_range_min is not None:
            parts.append(f"{kind} type {rule.port_range_min}")
            if rule.port_range_max is not None:
                parts.append(f"{kind} code {rule.port_range_max}")
        return parts
    if number in PORTED and rule.port_range_min is not None:
        high = rule.port_range_max if rule.port_range_max is not None else rule.port_range_min
        ports = f"{rule.port_range_min}-{high}" if high != rule.port_range_min else str(high)
        return [f"{PORTED[number]} dport {ports}"]
    return [f"meta l4proto {number}"]


def _set(items: list[str]) -> str:
    return "{ " + ", ".join(items) + " }"
