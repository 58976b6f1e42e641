"""Layer 2 in the host namespace: a bridge per network, VXLAN between hosts, ports on bridges."""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass, field

from pyroute2 import IPRoute
from pyroute2.netlink.exceptions import NetlinkError

from kilocloud.network.agent import names, netlink
from kilocloud.network.agent.state import Network


@dataclass(frozen=True)
class L2Config:
    """How this host reaches the others: the VXLAN underlay and the flat physical networks."""

    local_ip: str | None = None  # CIDR on underlay_interface, e.g. 192.168.77.1/24
    underlay_interface: str | None = None  # a device in the host namespace
    vxlan_group: str = "239.1.1.1"
    vxlan_port: int = 4789
    physical_interfaces: dict[str, str] = field(default_factory=dict)  # physnet -> host-ns device


def ensure_host(ns: str, l2: L2Config) -> None:
    """The host namespace, filtering bridged IP traffic through nftables, with its underlay up."""
    netlink.ensure_ns(ns)
    netlink.sysctl(
        ns,
        {"net.bridge.bridge-nf-call-iptables": "1", "net.bridge.bridge-nf-call-ip6tables": "1"},
    )
    if not (l2.local_ip and l2.underlay_interface):
        return
    with netlink.ipr(ns) as ip:
        idx = netlink.index(ip, l2.underlay_interface)
        if idx is None:
            raise RuntimeError(f"underlay interface {l2.underlay_interface} is not in {ns}")
        netlink.set_addresses(ip, l2.underlay_interface, [l2.local_ip])
        ip.link("set", index=idx, state="up")


def sync_bridges(ns: str, networks: list[Network], l2: L2Config) -> None:
    """One bridge per network (with its VXLAN or physical device); others removed."""
    with netlink.ipr(ns) as ip:
        have = netlink.links(ip)
        wanted: set[str] = set()
        for network in networks:
            wanted |= _ensure_network(ip, have, network, l2)
        for name, link in have.items():
            ours = link["kind"] == "vxlan" or (link["kind"] == "bridge" and name.startswith("brq"))
            if ours and name not in wanted:
                with contextlib.suppress(NetlinkError):
                    ip.link("del", index=link["index"])


def _ensure_network(ip: IPRoute, have: dict, network: Network, l2: L2Config) -> set[str]:
    """The bridge of one network and its uplink; the names it uses."""
    bridge = names.bridge(network.id)
    if bridge not in have:
        ip.link("add", ifname=bridge, kind="bridge", br_forward_delay=0, br_stp_state=0)
    bridge_idx = netlink.index(ip, bridge)
    ip.link("set", index=bridge_idx, state="up")
    uplink = _uplink(ip, have, network, l2)
    if uplink is not None:
        idx = netlink.index(ip, uplink)
        ip.link("set", index=idx, master=bridge_idx, state="up")
    for port in network.ports:
        idx = netlink.index(ip, names.tap(port.id))
        if idx is not None:
            ip.link("set", index=idx, master=bridge_idx, state="up")
    return {bridge} | ({uplink} if uplink else set())


def _uplink(ip: IPRoute, have: dict, network: Network, l2: L2Config) -> str | None:
    """The device joining this network's bridge to other hosts, made if needed."""
    if network.network_type == "flat":
        device = l2.physical_interfaces.get(network.physical_network or "")
        return device if device and netlink.index(ip, device) is not None else None
    if network.segmentation_id is None or not (l2.local_ip and l2.underlay_interface):
        return None
    name = names.vxlan(network.segmentation_id)
    if name not in have:
        ip.link(
            "add",
            ifname=name,
            kind="vxlan",
            vxlan_id=network.segmentation_id,
            vxlan_group=l2.vxlan_group,
            vxlan_local=str(ipaddress.ip_interface(l2.local_ip).ip),
            vxlan_link=netlink.index(ip, l2.underlay_interface),
            vxlan_port=l2.vxlan_port,
            mtu=network.mtu,
        )
    return name
