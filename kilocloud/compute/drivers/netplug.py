"""Plugging a server's ports through the network agent's vifs, as Nova calls os-vif.

A container gets a network namespace of its own, kc-<uuid>, made before it starts, so that its
interfaces are there from its first instruction and stay across stop and start.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kilocloud.compute.drivers import commands
from kilocloud.compute.drivers.base import InstanceSpec, Vif
from kilocloud.compute.drivers.errors import DriverError

NETNS_DIR = Path("/run/netns")


def netns_name(uuid: str) -> str:
    """The network namespace a container server's interfaces live in."""
    return f"kc-{uuid}"


async def plug_container(spec: InstanceSpec, unplugged: str) -> str:
    """Plug every vif into the server's namespace; podman's --network value (`unplugged`: none)."""
    if not spec.vifs:
        return unplugged
    vifs, state = _network_modules()
    name = netns_name(spec.uuid)
    await commands.run("ip", "netns", "add", name, timeout=30)
    for vif in spec.vifs:
        await vifs.plug_container(_port(state, vif, spec.uuid), name)
    return f"ns:{NETNS_DIR / name}"


async def plug_taps(spec: InstanceSpec) -> list[str]:
    """A tap per vif for a virtual machine; their names in vif order."""
    if not spec.vifs:
        return []
    vifs, state = _network_modules()
    return [await vifs.plug_tap(_port(state, vif, spec.uuid)) for vif in spec.vifs]


async def unplug(uuid: str, port_ids: list[str]) -> None:
    """Unplug the server's ports and drop its namespace (idempotent)."""
    if port_ids:
        vifs, _ = _network_modules()
        for port_id in port_ids:
            await vifs.unplug(port_id)
    if (NETNS_DIR / netns_name(uuid)).exists():
        await commands.run("ip", "netns", "delete", netns_name(uuid), timeout=30)


def _network_modules() -> tuple:
    try:
        vifs = importlib.import_module("kilocloud.network.agent.vifs")
        state = importlib.import_module("kilocloud.network.agent.state")
    except ModuleNotFoundError:
        raise DriverError("this host cannot plug ports: no network agent code") from None
    return vifs, state


def _port(state: object, vif: Vif, device_id: str) -> object:
    return state.Port(
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
