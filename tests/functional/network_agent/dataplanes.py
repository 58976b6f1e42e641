"""Hand-made desired states and namespaces posing as servers, for data-plane tests."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import time
import uuid
from dataclasses import replace

from kilocloud.network.agent import vifs
from kilocloud.network.agent.state import Network, Port, Rule, SecurityGroup, Subnet

ALLOW_EGRESS = [
    Rule("egress", "IPv4", None, None, None, None, None),
    Rule("egress", "IPv6", None, None, None, None, None),
]
TCP_SERVER = """
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", {port}))
s.listen()
while True:
    c, _ = s.accept()
    c.sendall({reply!r})
    c.close()
"""
TCP_CLIENT = """
import socket, sys
s = socket.create_connection(("{ip}", {port}), timeout=3)
sys.stdout.write(s.recv(1024).decode())
"""
ICMP_IN = Rule("ingress", "IPv4", "icmp", None, None, "0.0.0.0/0", None)


def new_id() -> str:
    """A Neutron-style UUID."""
    return str(uuid.uuid4())


def mac() -> str:
    """A random locally administered MAC (fa:16:3e as Neutron's base)."""
    tail = uuid.uuid4().hex[:6]
    return "fa:16:3e:" + ":".join(tail[i : i + 2] for i in range(0, 6, 2))


def subnet(cidr: str, dhcp: bool = False, **extra: object) -> Subnet:
    """An IPv4 subnet whose gateway is its first address."""
    gateway = str(next(ipaddress.ip_network(cidr).hosts()))
    fields = {"dns_nameservers": [], "host_routes": [], "gateway_ip": gateway} | extra
    return Subnet(new_id(), cidr, 4, enable_dhcp=dhcp, **fields)


def port(net: Network, ip: str, owner: str = "compute:nova", **extra: object) -> Port:
    """A port on the network's first subnet."""
    fields = {
        "device_id": new_id(),
        "host": "h1",
        "mtu": net.mtu,
        "security_group_ids": [],
        "port_security_enabled": True,
        "allowed_address_pairs": [],
    } | extra
    return Port(new_id(), net.id, mac(), [(net.subnets[0].id, ip)], owner, **fields)


def network(cidr: str, external: bool = False, dhcp: bool = False, vni: int = 100) -> Network:
    """A network with one subnet and no ports yet (VXLAN, or flat when external)."""
    kind, seg = ("flat", None) if external else ("vxlan", vni)
    physnet = "public" if external else None
    return Network(new_id(), kind, seg, physnet, 1450, external, [subnet(cidr, dhcp)], [])


def with_ports(net: Network, *ports: Port) -> Network:
    """The network holding these ports too."""
    return replace(net, ports=[*net.ports, *ports])


def group(*rules: Rule, members: list[str] | None = None) -> SecurityGroup:
    """A security group allowing all egress plus the given rules."""
    return SecurityGroup(new_id(), [*ALLOW_EGRESS, *rules], members or [])


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command, capturing output."""
    return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=60)


def in_ns(ns: str, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a command inside a namespace."""
    return sh("ip", "netns", "exec", ns, *argv, check=check)


def pings(ns: str, ip: str, count: int = 2) -> bool:
    """Whether ip answers a ping from inside ns (one second per try)."""
    for _ in range(count):
        if in_ns(ns, "busybox", "ping", "-c1", "-W1", ip, check=False).returncode == 0:
            return True
    return False


class Servers:
    """Namespaces posing as container servers, plugged through vifs; removed at the end."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.made: list[str] = []
        self.procs: list[subprocess.Popen] = []

    async def plug(
        self, p: Port, cidr: str | None, host_ns: str | None, gateway: str | None = None
    ) -> str:
        """A namespace with the port's veth as eth0, addressed statically (cidr given); its name."""
        ns = f"{self.prefix}-srv{len(self.made)}"
        sh("ip", "netns", "add", ns)
        self.made.append(ns)
        await vifs.plug_container(p, ns, host_ns)
        in_ns(ns, "ip", "link", "set", "lo", "up")
        if cidr is None:
            return ns
        length = ipaddress.ip_network(cidr).prefixlen
        in_ns(ns, "ip", "addr", "add", f"{p.fixed_ips[0][1]}/{length}", "dev", "eth0")
        if gateway:
            in_ns(ns, "ip", "route", "add", "default", "via", gateway)
        return ns

    def serve_tcp(self, ns: str, port_number: int, reply: bytes) -> subprocess.Popen:
        """A TCP server in ns answering every connection with reply; stopped by remove()."""
        code = TCP_SERVER.format(port=port_number, reply=reply)
        proc = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", code])
        self.procs.append(proc)
        for _ in range(50):
            listening = in_ns(ns, "ss", "-ltn", f"sport = :{port_number}").stdout.count("\n") > 1
            if listening:
                break
            time.sleep(0.1)
        return proc

    def fetch_tcp(self, ns: str, ip: str, port_number: int) -> bytes:
        """What a TCP connection from ns to ip:port receives (b"" when refused or dropped)."""
        code = TCP_CLIENT.format(ip=ip, port=port_number)
        done = in_ns(ns, sys.executable, "-c", code, check=False)
        return done.stdout.encode() if done.returncode == 0 else b""

    def remove(self) -> None:
        """Stop servers and delete every namespace made."""
        for proc in self.procs:
            proc.kill()
            proc.wait()
        for ns in self.made:
            sh("ip", "netns", "del", ns, check=False)


def router_port(net: Network, ip: str, owner: str = "network:router_interface") -> Port:
    """A router's port (interface or gateway) on the network's first subnet."""
    return port(net, ip, owner=owner, port_security_enabled=False)


LEASE_SCRIPT = """#!/bin/sh
[ "$1" = bound ] || exit 0
echo "ip=$ip subnet=$subnet router=$router mtu=$mtu dns=$dns"
echo "staticroutes=$staticroutes"
ip addr add "$ip/$mask" dev "$interface"
set -- $staticroutes
while [ $# -ge 2 ]; do ip route add "$1" via "$2" dev "$interface"; shift 2; done
"""


def dhcp_lease(ns: str, script_dir: str) -> dict[str, str]:
    """Run busybox udhcpc on eth0 in ns once; the lease's fields, configured on eth0."""
    script = f"{script_dir}/lease.sh"
    with open(script, "w") as out:
        out.write(LEASE_SCRIPT)
    os.chmod(script, 0o755)
    done = in_ns(
        ns,
        "busybox",
        "udhcpc",
        "-i",
        "eth0",
        "-n",
        "-q",
        "-f",
        "-t",
        "5",
        "-T",
        "1",
        "-s",
        script,
        "-O",
        "staticroutes",
        "-O",
        "mtu",
        check=False,
    )
    fields = {}
    for line in done.stdout.splitlines():
        for item in line.split(" ") if line.startswith("ip=") else [line]:
            key, _, value = item.partition("=")
            fields[key] = value
    return fields


def http_get(ns: str, url: str) -> tuple[int, str]:
    """Status and body of a GET from inside ns (0 when nothing answers)."""
    done = in_ns(ns, sys.executable, "-c", HTTP_CLIENT.format(url=url), check=False)
    status, _, body = done.stdout.partition("\n")
    return (int(status), body) if status.isdigit() else (0, done.stderr)


HTTP_CLIENT = """
import urllib.error, urllib.request
try:
    answer = urllib.request.urlopen("{url}", timeout=5)
    print(answer.status)
    print(answer.read().decode(), end="")
except urllib.error.HTTPError as error:
    print(error.code)
"""


def cable(underlay: str, host_ns: str, number: int) -> None:
    """A veth from the underlay bridge to ul0 in a host namespace (made here if missing)."""
    sh("ip", "netns", "add", host_ns, check=False)
    in_ns(underlay, "ip", "link", "add", f"h{number}", "type", "veth", "peer", "name", "ul0")
    in_ns(underlay, "ip", "link", "set", "ul0", "netns", host_ns)
    in_ns(underlay, "ip", "link", "set", f"h{number}", "master", "br0", "up")
