"""The network agent's core: make this host's namespaces, bridges and filters match a DataPlane."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kilocloud.network.agent import bridges, dhcp, firewall, netlink, routers
from kilocloud.network.agent.bridges import L2Config
from kilocloud.network.agent.names import Namespaces
from kilocloud.network.agent.state import DataPlane

EMPTY = DataPlane(networks=[], routers=[], security_groups=[])


class DataPlaneAgent:
    """Applies desired states idempotently; everything it makes lives under its namespace prefix."""

    def __init__(self, host: str, prefix: str, state_dir: str, l2: L2Config | None = None) -> None:
        self.host = host
        self.namespaces = Namespaces(prefix)
        self.dhcp_root = Path(state_dir) / "dhcp" / prefix
        self.l2 = l2 or L2Config()
        self._lock = asyncio.Lock()
        self._filter: str | None = None

    @property
    def host_ns(self) -> str:
        """The namespace holding this agent's bridges (what vifs plug into)."""
        return self.namespaces.host

    async def sync(self, desired: DataPlane) -> None:
        """Make the machine match desired, removing whatever is no longer wanted."""
        async with self._lock:
            await asyncio.to_thread(self._sync, desired)

    async def teardown(self) -> None:
        """Remove everything this agent made (its host namespace included)."""
        async with self._lock:
            await asyncio.to_thread(self._sync, EMPTY)
            await asyncio.to_thread(netlink.remove_ns, self.host_ns)
            self._filter = None

    def _sync(self, desired: DataPlane) -> None:
        bridges.ensure_host(self.host_ns, self.l2)
        bridges.sync_bridges(self.host_ns, desired.networks, self.l2)
        ruleset = firewall.ruleset(desired)
        if ruleset != self._filter:
            netlink.nft(self.host_ns, ruleset)
            self._filter = ruleset
        wanted = {self.host_ns} | self._sync_dhcp(desired)
        subnets = routers.subnets_by_id(desired)
        for router in desired.routers:
            ns = self.namespaces.router(router.id)
            routers.sync_router(self.host_ns, ns, router, subnets)
            wanted.add(ns)
        self._remove_unwanted(wanted)

    def _sync_dhcp(self, desired: DataPlane) -> set[str]:
        """dnsmasq for each network whose DHCP port this host serves; the namespaces used."""
        served = {}
        for network in desired.networks:
            port = dhcp.dhcp_port(network)
            if port is not None and port.host in (None, self.host):
                served[network.id] = (network, port)
        dhcp.remove_others(self.dhcp_root, set(served))
        for network, port in served.values():
            dhcp.sync_network(
                self.host_ns, self.namespaces.dhcp(network.id), network, port, self.dhcp_root
            )
        return {self.namespaces.dhcp(network_id) for network_id in served}

    def _remove_unwanted(self, wanted: set[str]) -> None:
        """Delete our namespaces that are not wanted any more (their veths go with them)."""
        for ns in netlink.listed(self.namespaces.prefix + "-"):
            if self.namespaces.owned(ns) and ns not in wanted:
                netlink.remove_ns(ns)
