"""The outbound request guard: which URLs and addresses the cloud may reach for a user.

A URL is checked twice: its scheme, host and port when a user gives it (an API refuses it
with a 400 at once), and the addresses its host resolves to when a connection is made
(`kilocloud.core.outbound_http` then connects to the checked address itself, so a name that
resolves elsewhere a moment later cannot lead the request astray).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from oslo_config import cfg

from kilocloud.core.errors import BadRequest

DEFAULT_PORTS = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# networks that are not global although Python's tables say they are
NOT_GLOBAL = (ipaddress.ip_network("fec0::/10"), ipaddress.ip_network("64:ff9b:1::/48"))
RESOLVE_TIMEOUT = 5.0


class Refused(BadRequest):
    """A URL or address the guard does not let the cloud reach."""


class Unresolved(Refused):
    """A host name DNS does not resolve (now): nothing can be reached, nothing is checked."""


@dataclass(frozen=True)
class Rules:
    """What one kind of outbound request may reach: an operator's filtering options."""

    allowed_schemes: tuple[str, ...] = ("http", "https")
    disallowed_schemes: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    disallowed_hosts: tuple[str, ...] = ()
    allowed_ports: tuple[str, ...] = ("80", "443")
    disallowed_ports: tuple[str, ...] = ()
    allowed_networks: tuple[IPNetwork, ...] = ()
    max_redirects: int = 0
    purpose: str = "outbound requests"

    @classmethod
    def from_options(cls, group: cfg.ConfigOpts.GroupAttr, purpose: str) -> Rules:
        """The rules a filtering option group (made by `options`) sets."""
        lists = ("allowed_hosts", "disallowed_hosts", "allowed_ports", "disallowed_ports")
        values = {name: tuple(str(v).lower() for v in group[name]) for name in lists}
        for name in ("allowed_schemes", "disallowed_schemes", "max_redirects"):
            if name in group:
                value = group[name]
                values[name] = value if isinstance(value, int) else tuple(value)
        try:
            nets = tuple(
                ipaddress.ip_network(n, strict=False) for n in group.allowed_private_networks
            )
        except ValueError as exc:
            raise cfg.Error(f"allowed_private_networks: {exc}") from None
        return cls(**values, allowed_networks=nets, purpose=purpose)


def options(purpose: str, schemes: bool = False, redirects: bool = False) -> list[cfg.Opt]:
    """The filtering options of one kind of outbound request (one option group each)."""
    opts: list[cfg.Opt] = []
    if schemes:
        opts += [
            cfg.ListOpt(
                "allowed_schemes", default=["http", "https"], help=f"{purpose} URL schemes."
            ),
            cfg.ListOpt(
                "disallowed_schemes", default=[], help="Schemes refused (if none allowed)."
            ),
        ]
    opts += [
        cfg.ListOpt("allowed_hosts", default=[], help=f"Only these hosts for {purpose}, when set."),
        cfg.ListOpt("disallowed_hosts", default=[], help="Hosts refused (if none allowed)."),
        cfg.ListOpt("allowed_ports", default=["80", "443"], help="Only these ports, when set."),
        cfg.ListOpt("disallowed_ports", default=[], help="Ports refused (if none allowed)."),
        cfg.ListOpt(
            "allowed_private_networks",
            default=[],
            help=f"CIDRs of non-public addresses {purpose} may reach anyway (e.g. 127.0.0.0/8 "
            "for tests); private, loopback, link-local, multicast and reserved addresses, and "
            "IPv6 addresses embedding one (NAT64, 6to4, IPv4-mapped), are refused otherwise.",
        ),
    ]
    if redirects:
        opts.append(
            cfg.IntOpt(
                "max_redirects", default=5, min=0, help="Redirects followed, each re-checked."
            )
        )
    return opts


def _allowed(value: str, allowed: tuple[str, ...], disallowed: tuple[str, ...]) -> bool:
    return value in allowed if allowed else value not in disallowed


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


def check_url(rules: Rules, url: str) -> SplitResult:
    """`url` split, once its scheme, host and port pass the rules; Refused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Refused(f"Invalid URL {url!r}.") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if not _allowed(scheme, rules.allowed_schemes, rules.disallowed_schemes):
        raise Refused(f"URL scheme {scheme!r} is not allowed for {rules.purpose}.")
    if scheme not in DEFAULT_PORTS or not _valid_host(host):
        raise Refused(f"URL {url!r} cannot be reached.")
    _check_parses(url)
    check_host(rules, host, port or DEFAULT_PORTS[scheme])
    return parts


def _check_parses(url: str) -> None:
    """Refused unless the HTTP client that would send it can parse it (IDNA 2008 hosts,
    plain dotted IPv4): a URL it cannot send is refused now, not at every delivery."""
    import httpx  # loaded with the first outbound check, not with this module

    try:
        host = httpx.URL(url).host  # decoding an A-label host is where idna refuses it
    except (httpx.InvalidURL, ValueError):  # idna's errors are ValueErrors
        host = ""
    if not host:
        raise Refused(f"Invalid URL {url!r}.")


def check_host(rules: Rules, host: str, port: int) -> None:
    """Refused unless the host and port lists allow `host`:`port`."""
    if not _allowed(host.lower(), rules.allowed_hosts, rules.disallowed_hosts):
        raise Refused(f"Host {host!r} is not allowed for {rules.purpose}.")
    if not _allowed(str(port), rules.allowed_ports, rules.disallowed_ports):
        raise Refused(f"Port {port} is not allowed for {rules.purpose}.")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, translated, compatible, NAT64, 6to4)."""
    value = int(ip)
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if value >> 32 == 0xFFFF0000 or ip in NAT64 or (value >> 32 == 0 and value > 1):
        return ipaddress.IPv4Address(value & 0xFFFFFFFF)
    return None


def _public(ip: IPAddress) -> bool:
    if ip.version == 6 and (inner := embedded_ipv4(ip)) is not None:
        return _public(inner)
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in NOT_GLOBAL)


def check_address(rules: Rules, address: str) -> None:
    """Refused unless `address` is public, or inside a network the operator allows anyway."""
    ip = ipaddress.ip_address(address.split("%")[0])
    inner = embedded_ipv4(ip) if ip.version == 6 else None
    if any(ip in net or (inner and inner in net) for net in rules.allowed_networks):
        return
    if not _public(ip):
        raise Refused(f"{rules.purpose.capitalize()} may not reach the non-public address {ip}.")


async def resolve(rules: Rules, host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, once every one of them passes the rules."""
    loop = asyncio.get_running_loop()
    try:
        lookup = loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        infos = await asyncio.wait_for(lookup, RESOLVE_TIMEOUT)
    except (OSError, TimeoutError):
        raise Unresolved(f"Host {host!r} cannot be resolved.") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        check_address(rules, address)
    return addresses


async def check(rules: Rules, url: str) -> list[str]:
    """Every check of `url`, its host resolved: the addresses it may be reached at."""
    parts = check_url(rules, url)
    port = parts.port or DEFAULT_PORTS[parts.scheme.lower()]
    return await resolve(rules, (parts.hostname or "").lower(), port)
