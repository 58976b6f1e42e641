"""The network agent's core: make this host's namespaces, bridges, DHCP, routers, filters and
metadata listeners match a DataPlane."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from pathlib import Path

from kilocloud.network.agent import bridges, dhcp, firewall, netlink, routers
from kilocloud.network.agent.bridges import L2Config
from kilocloud.network.agent.metadata import Listener, MetadataProxy
from kilocloud.network.agent.names import Namespaces
from kilocloud.network.agent.state import DataPlane, Network, Port

EMPTY = DataPlane(networks=[], routers=[], security_groups=[])


class DataPlaneAgent:
    """Applies desired states idempotently; everything it makes lives under its namespace prefix."""

    def __init__(
        self,
        host: str,
        prefix: str,
        state_dir: str,
        l2: L2Config | None = None,
        metadata: MetadataProxy | None = None,
    ) -> None:
        self.host = host
        self.namespaces = Namespaces(prefix)
        self.dhcp_root = Path(state_dir) / "dhcp" / prefix
        self.l2 = l2 or L2Config()
        self.metadata = metadata
        self._lock = asyncio.Lock()
        self._applied: dict[str, str] = {}  # part -> repr of the inputs it was applied from

    @property
    def host_ns(self) -> str:
        """The namespace holding this agent's bridges (what vifs plug into)."""
        return self.namespaces.host

    async def sync(self, desired: DataPlane, full: bool = True) -> None:
        """Make the machine match desired, removing whatever is no longer wanted.

        full=False trusts that what this agent applied before is still in place and redoes only
        the parts whose desired state changed (the fast path for signalled changes).
        """
        async with self._lock:
            served = self._dhcp_served(desired)
            await asyncio.to_thread(self._sync, desired, served, full)
            if self.metadata is not None:
                await self.metadata.sync(self._listeners(desired, served))

    async def teardown(self) -> None:
        """Remove everything this agent made (its host namespace included)."""
        await self.sync(EMPTY)
        async with self._lock:
            await asyncio.to_thread(netlink.remove_ns, self.host_ns)

    def _sync(
        self, desired: DataPlane, served: dict[str, tuple[Network, Port]], full: bool
    ) -> None:
        done, self._applied = ({} if full else self._applied), {}
        if not (desired.networks or desired.routers or self.l2.underlay_interface):
            dhcp.remove_others(self.dhcp_root, set())
            self._remove_unwanted(set())  # nothing to run: not even the host namespace
            return
        host, l2 = self.host_ns, self.l2
        self._step(done, "host", l2, lambda: bridges.ensure_host(host, l2))
        shape = [
            (n.id, n.network_type, n.segmentation_id, n.mtu, [p.id for p in n.ports])
            for n in desired.networks
        ]
        self._step(done, "bridges", shape, lambda: bridges.sync_bridges(host, desired.networks, l2))
        ruleset = firewall.ruleset(desired, self.host)
        self._step(done, "filter", ruleset, lambda: netlink.nft(host, ruleset))
        dhcp.remove_others(self.dhcp_root, set(served))
        wanted = {host}
        for network, port in served.values():
            ns = self.namespaces.dhcp(network.id)
            apply = functools.partial(dhcp.sync_network, host, ns, network, port, self.dhcp_root)
            self._step(done, ns, (network, port), apply)
            wanted.add(ns)
        subnets = routers.subnets_by_id(desired)
        for router in desired.routers:
            ns = self.namespaces.router(router.id)
            self._step(
                done,
                ns,
                (router, subnets),
                functools.partial(routers.sync_router, host, ns, router, subnets),
            )
            wanted.add(ns)
        self._remove_unwanted(wanted)

    def _step(
        self, done: dict[str, str], part: str, inputs: object, apply: Callable[[], None]
    ) -> None:
        """Apply one part unless it was applied from these very inputs; remember it when done."""
        key = repr(inputs)
        if done.get(part) != key:
            apply()
        self._applied[part] = key

    def _dhcp_served(self, desired: DataPlane) -> dict[str, tuple[Network, Port]]:
        """The networks whose DHCP (and isolated metadata) this host serves, with their ports."""
        served = {}
        for network in desired.networks:
            port = dhcp.dhcp_port(network)
            if port is not None and port.host in (None, self.host):
                served[network.id] = (network, port)
        return served

    def _listeners(
        self, desired: DataPlane, served: dict[str, tuple[Network, Port]]
    ) -> list[Listener]:
        """Metadata listeners: 169.254.169.254:80 per qdhcp namespace, and one per router."""
        found = [
            Listener(
                self.namespaces.dhcp(network.id),
                routers.METADATA_IP,
                80,
                _by_address([network]),
                ("X-Neutron-Network-ID", network.id),
            )
            for network, _ in served.values()
        ]
        networks = {network.id: network for network in desired.networks}
        for router in desired.routers:
            joined = [networks[p.network_id] for p in router.interfaces if p.network_id in networks]
            found.append(
                Listener(
                    self.namespaces.router(router.id),
                    "0.0.0.0",
                    routers.METADATA_PORT,
                    _by_address(joined),
                    ("X-Neutron-Router-ID", router.id),
                )
            )
        return found

    def _remove_unwanted(self, wanted: set[str]) -> None:
        """Delete our namespaces that are not wanted any more (their veths go with them)."""
        for ns in netlink.listed(self.namespaces.prefix + "-"):
            if self.namespaces.owned(ns) and ns not in wanted:
                netlink.remove_ns(ns)


def _by_address(networks: list[Network]) -> dict[str, Port]:
    """Servers' ports on these networks by fixed IP."""
    return {
        ip: port
        for network in networks
        for port in network.ports
        if not port.device_owner.startswith("network:")
        for _, ip in port.fixed_ips
    }
