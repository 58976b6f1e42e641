"""Plugging servers into networks, as os-vif does for Nova: veths for containers, taps for VMs."""

from __future__ import annotations

import asyncio
import os

from kilocloud.network.agent import names, netlink
from kilocloud.network.agent.state import Port


async def plug_container(port: Port, netns: str, host_ns: str) -> None:
    """A veth: eth0 with the port's MAC and MTU in the container's netns (name or path), peer on
    the network's bridge in the agent's host namespace."""
    await asyncio.to_thread(_plug_veth, port, netns, host_ns)


async def plug_tap(port: Port, host_ns: str) -> str:
    """A tap on the network's bridge for QEMU (started inside host_ns); its name."""
    return await asyncio.to_thread(_plug_tap, port, host_ns)


async def unplug(port_id: str, host_ns: str) -> None:
    """Remove a port's device (and a veth's container end with it); nothing if absent."""
    await asyncio.to_thread(_unplug, port_id, host_ns)


def _plug_veth(port: Port, netns: str, host_ns: str) -> None:
    netlink.ensure_ns(host_ns)
    path = netns if netns.startswith("/") else f"/var/run/netns/{netns}"
    fd = os.open(path, os.O_RDONLY)
    try:
        with netlink.ipr(host_ns) as ip:
            tap = names.tap(port.id)
            if netlink.index(ip, tap) is None:
                peer = {"ifname": "eth0", "address": port.mac, "mtu": port.mtu, "net_ns_fd": fd}
                ip.link("add", ifname=tap, kind="veth", mtu=port.mtu, peer=peer)
            _attach(ip, port)
    finally:
        os.close(fd)
    with netlink.ipr(path) as ip:
        ip.link("set", index=netlink.index(ip, "eth0"), state="up")


def _plug_tap(port: Port, host_ns: str) -> str:
    netlink.ensure_ns(host_ns)
    tap = names.tap(port.id)
    with netlink.ipr(host_ns) as ip:
        if netlink.index(ip, tap) is None:
            ip.link("add", ifname=tap, kind="tuntap", mode="tap")
            ip.link("set", index=netlink.index(ip, tap), mtu=port.mtu)
        _attach(ip, port)
    return tap


def _attach(ip: object, port: Port) -> None:
    """Put the port's device on its bridge if the agent made the bridge already, else just up."""
    idx = netlink.index(ip, names.tap(port.id))
    bridge = netlink.index(ip, names.bridge(port.network_id))
    if bridge is not None:
        ip.link("set", index=idx, master=bridge)
    ip.link("set", index=idx, state="up")


def _unplug(port_id: str, host_ns: str) -> None:
    if not netlink.exists(host_ns):
        return
    with netlink.ipr(host_ns) as ip:
        idx = netlink.index(ip, names.tap(port_id))
        if idx is not None:
            ip.link("del", index=idx)
