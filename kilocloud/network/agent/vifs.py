"""Plugging servers into networks, as os-vif does for Nova: veths for containers, taps for VMs."""

from __future__ import annotations

import asyncio
import contextlib
import os

from kilocloud.network.agent import names, netlink
from kilocloud.network.agent.state import Port


async def plug_container(port: Port, netns: str, host_ns: str | None = None) -> None:
    """A veth: eth0 with the port's MAC and MTU in the container's netns (name or path), peer on
    the network's bridge in the agent's host namespace (found by its bridge when not given)."""
    host_ns = host_ns or await find_host_ns(port.network_id)
    await asyncio.to_thread(_plug_veth, port, netns, host_ns)


async def plug_tap(port: Port, host_ns: str | None = None) -> str:
    """A tap on the network's bridge for QEMU (started inside the host namespace); its name."""
    host_ns = host_ns or await find_host_ns(port.network_id)
    return await asyncio.to_thread(_plug_tap, port, host_ns)


async def unplug(port_id: str, host_ns: str | None = None) -> None:
    """Remove a port's device (and a veth's container end with it); nothing if absent."""
    for ns in [host_ns] if host_ns else await asyncio.to_thread(_host_namespaces):
        await asyncio.to_thread(_unplug, port_id, ns)


async def find_host_ns(network_id: str, timeout: float = 15.0) -> str:
    """The agent host namespace holding this network's bridge, waiting for the agent to make it
    (a port is plugged right after it is bound, while the agent may still be syncing)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await asyncio.to_thread(_with_bridge, names.bridge(network_id))
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise LookupError(f"no network agent on this machine runs network {network_id}")
        await asyncio.sleep(0.1)


def _host_namespaces() -> list[str]:
    return [ns for ns in netlink.listed("kc") if ns.endswith("-host")]


def _with_bridge(bridge: str) -> str | None:
    for ns in _host_namespaces():
        with contextlib.suppress(OSError), netlink.ipr(ns) as ip:  # OSError: deleted meanwhile
            if netlink.index(ip, bridge) is not None:
                return ns
    return None


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
            # a tap comes from an ioctl on /dev/net/tun, made in the calling thread's namespace
            # (not the socket's): the thread must be inside host_ns too
            with netlink.entered(host_ns):
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
