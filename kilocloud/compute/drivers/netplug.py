"""Plugging a server's ports through the network agent's vifs, as Nova calls os-vif.

A container gets a network namespace of its own, kc-<uuid>, made before it starts, so that its
interfaces are there from its first instruction and stay across stop and start.
"""

from __future__ import annotations

from pathlib import Path

from kilocloud.compute.drivers import commands
from kilocloud.compute.drivers.base import InstanceSpec, Vif
from kilocloud.network.agent import vifs
from kilocloud.network.agent.state import Port

NETNS_DIR = Path("/run/netns")


def netns_name(uuid: str) -> str:
    """The network namespace a container server's interfaces live in."""
    return f"kc-{uuid}"


async def plug_container(spec: InstanceSpec, unplugged: str) -> str:
    """Plug every vif into the server's namespace; podman's --network value (`unplugged`: none)."""
    if not spec.vifs:
        return unplugged
    name = netns_name(spec.uuid)
    if not (NETNS_DIR / name).exists():
        await commands.run("ip", "netns", "add", name, timeout=30)
        await commands.run("ip", "-n", name, "link", "set", "lo", "up", timeout=30)
    for vif in spec.vifs:
        await vifs.plug_container(_port(vif, spec.uuid), name)
    return f"ns:{NETNS_DIR / name}"


async def plug_taps(spec: InstanceSpec) -> tuple[str | None, list[str]]:
    """A tap per vif for a virtual machine: the namespace holding them and their names."""
    if not spec.vifs:
        return None, []
    host_ns = await vifs.find_host_ns(spec.vifs[0].network_id)
    taps = []
    for vif in spec.vifs:
        taps.append(await vifs.plug_tap(_port(vif, spec.uuid), host_ns))
    return host_ns, taps


async def unplug(uuid: str, port_ids: list[str]) -> None:
    """Unplug the server's ports and drop its namespace (idempotent)."""
    for port_id in port_ids:
        await vifs.unplug(port_id)
    if (NETNS_DIR / netns_name(uuid)).exists():
        await commands.run("ip", "netns", "delete", netns_name(uuid), timeout=30)


def _port(vif: Vif, device_id: str) -> Port:
    return Port(
        id=vif.port_id,
        network_id=vif.network_id,
        mac=vif.mac,
        fixed_ips=[("", ip) for ip in vif.fixed_ips],
        device_owner="compute:nova",
        device_id=device_id,
        host=None,
        mtu=vif.mtu,
        security_group_ids=[],
        port_security_enabled=True,
        allowed_address_pairs=[],
    )
