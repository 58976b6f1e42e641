"""URL filtering for web-download: schemes, hosts, ports and the addresses a host resolves to.

Addresses are checked after resolution and the connection is made to a checked address, so a
name that resolves differently a moment later cannot lead the download elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from oslo_config import cfg

from kilocloud.core.errors import BadRequest

DEFAULT_PORTS = {"http": 80, "https": 443}


class Forbidden(BadRequest):
    """The URL is not one web-download may fetch."""


@dataclass
class Target:
    """A checked URL: where to connect (address) and what to ask for (host, path)."""

    scheme: str
    host: str
    port: int
    address: str
    path: str

    @property
    def connect_url(self) -> str:
        """The URL with the checked address in place of the host name."""
        ip = ipaddress.ip_address(self.address)
        host = f"[{ip}]" if ip.version == 6 else str(ip)
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    @property
    def host_header(self) -> str:
        """The Host header the server expects."""
        default = DEFAULT_PORTS.get(self.scheme)
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def _allowed(value: str, allowed: list[str], disallowed: list[str]) -> bool:
    if allowed:
        return value in allowed
    return value not in disallowed


def _valid_host(host: str) -> bool:
    """Whether `host` is an IP address or a name DNS could hold (labels of 63 octets at most)."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host.split("%")[0])
        return True
    except ValueError:
        pass
    try:
        return len(host.encode("idna")) <= 253
    except UnicodeError:
        return False


def check_static(conf: cfg.ConfigOpts, url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of `url`; Forbidden unless the filters allow them."""
    opts = conf.import_filtering_opts
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Forbidden(f"Invalid URL {url!r}.") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not _allowed(scheme, opts.allowed_schemes, opts.disallowed_schemes):
        raise Forbidden(f"URL scheme {scheme!r} is not allowed for web-download.")
    if scheme not in DEFAULT_PORTS or not _valid_host(host):
        raise Forbidden(f"URL {url!r} cannot be downloaded.")
    if not _allowed(host, opts.allowed_hosts, opts.disallowed_hosts):
        raise Forbidden(f"Host {host!r} is not allowed for web-download.")
    port = port or DEFAULT_PORTS[scheme]
    if not _allowed(str(port), opts.allowed_ports, opts.disallowed_ports):
        raise Forbidden(f"Port {port} is not allowed for web-download.")
    path = parts.path or "/"
    return scheme, host, port, path + (f"?{parts.query}" if parts.query else "")


def reachable(address: str, exceptions: list[str]) -> bool:
    """Whether `address` is global unicast, or inside one of the `exceptions` networks."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return True
    return any(ip in ipaddress.ip_network(net, strict=False) for net in exceptions)


async def check(conf: cfg.ConfigOpts, url: str) -> Target:
    """The checked target of `url`: every address it resolves to must be allowed."""
    scheme, host, port, path = check_static(conf, url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise Forbidden(f"Host {host!r} cannot be resolved.") from None
    addresses = [info[4][0] for info in infos]
    exceptions = conf.import_filtering_opts.allowed_private_networks
    for address in addresses:
        if not reachable(address, exceptions):
            raise Forbidden(f"Host {host!r} resolves to a non-public address {address}.")
    return Target(scheme, host, port, addresses[0], path)
