"""Names of everything the agent makes, as Neutron's Linux bridge agents name them, per cloud."""

from __future__ import annotations

import hashlib

DEV_LEN = 14  # Neutron's LINUX_DEV_LEN: room for a 3-letter kind and 11 id characters


def cloud_tag(state_dir: str) -> str:
    """What the namespaces of every agent of one cloud (by state directory) start with."""
    return "kc" + hashlib.sha1(state_dir.encode()).hexdigest()[:6]


def cloud_prefix(state_dir: str, host: str) -> str:
    """The namespace prefix of one agent: its cloud's tag and its host."""
    return f"{cloud_tag(state_dir)}-{host}"


def bridge(network_id: str) -> str:
    """The bridge of a network."""
    return "brq" + network_id[:11]


def tap(port_id: str) -> str:
    """The bridge-side device of a port (tap or veth end)."""
    return "tap" + port_id[:11]


def inner(kind: str, port_id: str) -> str:
    """The namespace-side device of a port: ns- (DHCP), qr- (router interface), qg- (gateway)."""
    return f"{kind}-{port_id[:11]}"


def vxlan(vni: int) -> str:
    """The VXLAN device of a network segment."""
    return f"vxlan-{vni}"


class Namespaces:
    """The network namespaces of one agent, all under its prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    @property
    def host(self) -> str:
        """The namespace holding bridges, VXLAN devices and port filters."""
        return f"{self.prefix}-host"

    def dhcp(self, network_id: str) -> str:
        """The namespace of a network's dnsmasq."""
        return f"{self.prefix}-qdhcp-{network_id}"

    def router(self, router_id: str) -> str:
        """The namespace of a router."""
        return f"{self.prefix}-qrouter-{router_id}"

    def owned(self, name: str) -> tuple[str, str] | None:
        """(kind, id) of one of our namespaces, None for anyone else's."""
        rest = name.removeprefix(self.prefix + "-")
        if rest == name:
            return None
        if rest == "host":
            return "host", ""
        for kind in ("qdhcp", "qrouter"):
            if rest.startswith(kind + "-"):
                return kind, rest[len(kind) + 1 :]
        return None
