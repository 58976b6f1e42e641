"""Namespaces and links through netlink (pyroute2), and running programs inside a namespace."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import ipaddress
import os
import subprocess
from collections.abc import Iterator

from pyroute2 import IPRoute, netns
from pyroute2.netlink.exceptions import NetlinkError

NETNS_DIR = "/var/run/netns"
CLONE_NEWNET = 0x40000000
_LIBC = ctypes.CDLL(None, use_errno=True)


def exists(ns: str) -> bool:
    """Whether a named namespace exists."""
    return ns in netns.listnetns()


def listed(prefix: str) -> list[str]:
    """Named namespaces starting with prefix."""
    return [name for name in netns.listnetns() if name.startswith(prefix)]


def ensure_ns(ns: str) -> None:
    """Create a namespace (with lo up) if missing."""
    if exists(ns):
        return
    done = subprocess.run(["ip", "netns", "add", ns], capture_output=True, text=True)
    if done.returncode and not exists(ns):
        raise RuntimeError(f"ip netns add {ns}: {done.stderr.strip()}")
    with ipr(ns) as ip:
        ip.link("set", index=ip.link_lookup(ifname="lo")[0], state="up")


def remove_ns(ns: str) -> None:
    """Delete a namespace and every device in it; nothing if missing."""
    if not exists(ns):
        return
    with ipr(ns) as ip:
        for link in ip.get_links():
            if link.get_attr("IFLA_IFNAME") != "lo" and link.get_attr("IFLA_LINKINFO"):
                with contextlib.suppress(NetlinkError):
                    ip.link("del", index=link["index"])
    netns.remove(ns)


@contextlib.contextmanager
def entered(ns: str) -> Iterator[None]:
    """This thread inside a namespace (a name, or a path such as /proc/PID/ns/net) meanwhile.

    Sockets made meanwhile stay in that namespace. (pyroute2's own way forks, which can
    deadlock a process that runs threads.)
    """
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(ns if ns.startswith("/") else f"{NETNS_DIR}/{ns}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                yield
            finally:
                _setns(own)
        finally:
            os.close(target)
    finally:
        os.close(own)


def _setns(fd: int) -> None:
    if _LIBC.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns failed")


@contextlib.contextmanager
def ipr(ns: str) -> Iterator[IPRoute]:
    """An rtnetlink socket inside a namespace (which must exist: it is never made here)."""
    with entered(ns):
        ip = IPRoute()
    try:
        yield ip
    finally:
        ip.close()


def index(ip: IPRoute, name: str) -> int | None:
    """The index of a device, None if absent."""
    found = ip.link_lookup(ifname=name)
    return found[0] if found else None


def links(ip: IPRoute) -> dict[str, dict]:
    """Devices by name: index, kind, master index, MAC, MTU."""
    found = {}
    for link in ip.get_links():
        info = link.get_attr("IFLA_LINKINFO")
        found[link.get_attr("IFLA_IFNAME")] = {
            "index": link["index"],
            "kind": info.get_attr("IFLA_INFO_KIND") if info else None,
            "master": link.get_attr("IFLA_MASTER"),
            "mac": link.get_attr("IFLA_ADDRESS"),
            "mtu": link.get_attr("IFLA_MTU"),
        }
    return found


def set_addresses(ip: IPRoute, name: str, wanted: list[str]) -> None:
    """Make a device hold exactly these addresses (CIDR notation, v4 and v6 global ones)."""
    idx = index(ip, name)
    have = {}
    for addr in ip.get_addr(index=idx):
        cidr = f"{addr.get_attr('IFA_ADDRESS')}/{addr['prefixlen']}"
        if not cidr.startswith("fe80:"):
            have[cidr] = addr["prefixlen"]
    for cidr in set(have) - set(wanted):
        address, length = cidr.split("/")
        ip.addr("del", index=idx, address=address, prefixlen=int(length))
    for cidr in set(wanted) - set(have):
        iface = ipaddress.ip_interface(cidr)
        with contextlib.suppress(NetlinkError):
            ip.addr("add", index=idx, address=str(iface.ip), prefixlen=iface.network.prefixlen)


def run(ns: str, *argv: str, stdin: str | None = None) -> str:
    """Run a program inside a namespace; its stdout, or RuntimeError with its stderr.

    The child is forked from this thread while it is in the namespace, so it starts there
    (cheaper than `ip netns exec`, which also remounts /sys).
    """
    with entered(ns):
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} in {ns}: {done.stderr.strip()}")
    return done.stdout


def sysctl(ns: str, values: dict[str, str]) -> None:
    """Set sysctls inside a namespace."""
    run(ns, "sysctl", "-qw", *(f"{key}={value}" for key, value in values.items()))


def nft(ns: str, ruleset: str) -> None:
    """Load an nftables ruleset inside a namespace in one transaction (through libnftables,
    the library `nft` itself is built on: no process to start)."""
    lib = _libnftables()
    with entered(ns):
        ctx = lib.nft_ctx_new(0)
        try:
            lib.nft_ctx_buffer_output(ctx)
            lib.nft_ctx_buffer_error(ctx)
            failed = lib.nft_run_cmd_from_buffer(ctx, ruleset.encode())
            error = (lib.nft_ctx_get_error_buffer(ctx) or b"").decode()
        finally:
            lib.nft_ctx_free(ctx)
    if failed:
        raise RuntimeError(f"nft in {ns}: {error.strip()}")


@functools.cache
def _libnftables() -> ctypes.CDLL:
    lib = ctypes.CDLL("libnftables.so.1")
    lib.nft_ctx_new.restype = ctypes.c_void_p
    lib.nft_ctx_new.argtypes = [ctypes.c_uint32]
    for name in ("nft_ctx_buffer_output", "nft_ctx_buffer_error", "nft_ctx_free"):
        getattr(lib, name).argtypes = [ctypes.c_void_p]
    lib.nft_run_cmd_from_buffer.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.nft_ctx_get_error_buffer.argtypes = [ctypes.c_void_p]
    lib.nft_ctx_get_error_buffer.restype = ctypes.c_char_p
    return lib


def set_routes(ip: IPRoute, wanted: list[tuple[str, str]]) -> None:
    """Make the main table's IPv4 routes via a gateway exactly these (destination, nexthop)."""
    have = set()
    for route in ip.get_routes(family=2, table=254):
        via = route.get_attr("RTA_GATEWAY")
        if via:
            dst = route.get_attr("RTA_DST") or "0.0.0.0"
            have.add((f"{dst}/{route['dst_len']}", via))
    wanted_set = {(str(ipaddress.ip_network(dst)), via) for dst, via in wanted}
    for dst, via in have - wanted_set:
        with contextlib.suppress(NetlinkError):
            ip.route("del", dst=dst, gateway=via)
    for dst, via in wanted_set - have:
        with contextlib.suppress(NetlinkError):
            ip.route("replace", dst=dst, gateway=via)
