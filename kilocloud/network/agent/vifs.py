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
    veth_into(host_ns, port, netns if netns.startswith("/") else f"/var/run/netns/{netns}", "eth0")


def veth_into(host_ns: str, port: Port, target: str, inner: str) -> None:
    """A veth for a port: `inner` (port MAC and MTU, up) in the namespace at path `target`, its
    peer tap<port> on the port's bridge in host_ns. Idempotent."""
    with netlink.ipr(target) as ip:
        present = netlink.index(ip, inner) is not None
    if not present:
        with netlink.ipr(host_ns) as ip:
            idx = netlink.index(ip, names.tap(port.id))
            if idx is not None:  # a half-made pair from an interrupted run
                ip.link("del", index=idx)
            fd = os.open(target, os.O_RDONLY)
            try:
                peer = {"ifname": inner, "address": port.mac, "mtu": port.mtu, "net_ns_fd": fd}
                ip.link("add", ifname=names.tap(port.id), kind="veth", mtu=port.mtu, peer=peer)
            finally:
                os.close(fd)
    with netlink.ipr(host_ns) as ip:
        _attach(ip, port)
    with netlink.ipr(target) as ip:
        ip.link("set", index=netlink.index(ip, inner), state="up")


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
