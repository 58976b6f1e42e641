"""DHCP: one dnsmasq per network in its qdhcp namespace, fed from the ports, as Neutron runs it."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import signal
import time
from pathlib import Path

from kilocloud.network.agent import names, netlink, vifs
from kilocloud.network.agent.routers import METADATA_IP
from kilocloud.network.agent.state import Network, Port, Subnet

LEASE_SECONDS = 86400
DOMAIN = "openstacklocal"


def dhcp_port(network: Network) -> Port | None:
    """The port dnsmasq answers from, when the network has DHCP-enabled IPv4 subnets."""
    if not _subnets(network):
        return None
    return next((p for p in network.ports if p.device_owner == "network:dhcp"), None)


def remove_others(root: Path, wanted: set[str]) -> None:
    """Stop the dnsmasq of every network not in wanted and remove its files."""
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if folder.name not in wanted:
            stop(folder)
            shutil.rmtree(folder, ignore_errors=True)


def sync_network(host_ns: str, ns: str, network: Network, port: Port, root: Path) -> None:
    """The network's qdhcp namespace and its dnsmasq, reloaded when the ports changed."""
    netlink.ensure_ns(ns)
    inner = names.inner("ns", port.id)
    vifs.veth_into(host_ns, port, f"/var/run/netns/{ns}", inner)
    lengths = {s.id: ipaddress.ip_network(s.cidr).prefixlen for s in network.subnets}
    addresses = [f"{ip}/{lengths[sid]}" for sid, ip in port.fixed_ips if sid in lengths]
    with netlink.ipr(ns) as ip:
        netlink.set_addresses(ip, inner, [*addresses, f"{METADATA_IP}/32"])
    folder = root / network.id
    folder.mkdir(parents=True, exist_ok=True)
    changed = _write(folder / "host", hosts_file(network))
    changed |= _write(folder / "opts", opts_file(network, port))
    changed |= _write(folder / "addn_hosts", addn_hosts_file(network))
    argv = command(network, folder, inner)
    pid = running(folder)
    if pid is not None and _cmdline(pid) != argv:
        stop(folder)
        pid = None
    if pid is None:
        netlink.run(ns, *argv)
    elif changed:
        os.kill(pid, signal.SIGHUP)


def command(network: Network, folder: Path, interface: str) -> list[str]:
    """dnsmasq's command line for a network (Neutron's options, static ranges only)."""
    argv = [
        "dnsmasq",
        "--no-hosts",
        "--no-resolv",
        "--user=root",
        f"--pid-file={folder / 'pid'}",
        f"--dhcp-hostsfile={folder / 'host'}",
        f"--addn-hosts={folder / 'addn_hosts'}",
        f"--dhcp-optsfile={folder / 'opts'}",
        f"--dhcp-leasefile={folder / 'leases'}",
        "--dhcp-match=set:ipxe,175",
        "--bind-interfaces",
        f"--interface={interface}",
        "--except-interface=lo",
    ]
    for subnet in _subnets(network):
        net = ipaddress.ip_network(subnet.cidr)
        tag = f"set:subnet-{subnet.id}"
        argv.append(
            f"--dhcp-range={tag},{net.network_address},static,{net.netmask},{LEASE_SECONDS}s"
        )
    lease_max = sum(ipaddress.ip_network(s.cidr).num_addresses for s in _subnets(network))
    argv += [
        f"--dhcp-option-force=option:mtu,{network.mtu}",
        f"--dhcp-lease-max={lease_max}",
        "--conf-file=/dev/null",
        f"--domain={DOMAIN}",
    ]
    return argv


def hosts_file(network: Network) -> str:
    """MAC, FQDN and address of every port on a DHCP subnet."""
    dhcp = {s.id for s in _subnets(network)}
    lines = [
        f"{port.mac},{_hostname(ip)}.{DOMAIN},{ip}"
        for port in network.ports
        for sid, ip in port.fixed_ips
        if sid in dhcp
    ]
    return "".join(line + "\n" for line in lines)


def addn_hosts_file(network: Network) -> str:
    """DNS names of the ports for dnsmasq's own DNS."""
    lines = [
        f"{ip}\t{_hostname(ip)}.{DOMAIN} {_hostname(ip)}"
        for port in network.ports
        for _, ip in port.fixed_ips
    ]
    return "".join(line + "\n" for line in lines)


def opts_file(network: Network, port: Port) -> str:
    """Per subnet: DNS servers, the router, and classless routes (metadata through this port)."""
    own = dict(port.fixed_ips)
    lines = []
    for subnet in _subnets(network):
        tag = f"tag:subnet-{subnet.id}"
        if subnet.dns_nameservers:
            lines.append(f"{tag},option:dns-server,{','.join(subnet.dns_nameservers)}")
        routes = [f"{dst},{via}" for dst, via in subnet.host_routes]
        if subnet.id in own:
            routes.append(f"{METADATA_IP}/32,{own[subnet.id]}")
        if subnet.gateway_ip:
            routes.append(f"0.0.0.0/0,{subnet.gateway_ip}")
            lines.append(f"{tag},option:router,{subnet.gateway_ip}")
        else:
            lines.append(f"{tag},option:router")
        if routes:
            lines.append(f"{tag},option:classless-static-route,{','.join(routes)}")
            lines.append(f"{tag},249,{','.join(routes)}")
    return "".join(line + "\n" for line in lines)


def running(folder: Path) -> int | None:
    """The pid of this folder's dnsmasq if it runs."""
    with contextlib.suppress(OSError, ValueError):
        pid = int((folder / "pid").read_text().strip())
        if f"--pid-file={folder / 'pid'}" in _cmdline(pid):
            return pid
    return None


def stop(folder: Path) -> None:
    """Stop this folder's dnsmasq, if running."""
    pid = running(folder)
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if running(folder) is None:
                break
            time.sleep(0.02)


def _cmdline(pid: int) -> list[str]:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
    return []


def _subnets(network: Network) -> list[Subnet]:
    return [s for s in network.subnets if s.enable_dhcp and s.ip_version == 4]


def _hostname(ip: str) -> str:
    return "host-" + ip.replace(".", "-").replace(":", "-")


def _write(path: Path, text: str) -> bool:
    """Write a file if its content changes; whether it did."""
    if path.exists() and path.read_text() == text:
        return False
    path.write_text(text)
    return True
