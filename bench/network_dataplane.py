"""Security-group rule change -> data plane: the time from the change until the host's nftables
ruleset filters by the new rule (median of N changes, target < 200 ms).

--through api (default): POST security-group-rules to a `kilocloud up` whose in-process agent
serves N bound ports; --through agent: the agent alone, told of the change directly.

Usage: python -m bench network_dataplane [--through api|agent] [--changes N] [--ports N]
(as root: it makes namespaces, and removes them)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid

import httpx

from bench import load
from bench.identity import identity_url, issue_token, password_auth
from kilocloud.network.agent import netlink
from kilocloud.network.agent.agent import DataPlaneAgent
from kilocloud.network.agent.names import Namespaces, cloud_prefix
from kilocloud.network.agent.service import AgentService
from kilocloud.network.agent.state import DataPlane, Network, Port, Rule, SecurityGroup, Subnet

EGRESS = Rule("egress", "IPv4", None, None, None, None, None)


def desired(ports: int, tcp_port: int | None) -> DataPlane:
    """One network with `ports` servers in one group; with a TCP rule when tcp_port is set."""
    rules = [EGRESS] + (
        [Rule("ingress", "IPv4", "tcp", tcp_port, tcp_port, None, None)] if tcp_port else []
    )
    group = SecurityGroup("sg-bench", rules, [])
    subnet = Subnet("sn-bench", "10.99.0.0/16", 4, "10.99.0.1", False, [], [])
    made = [
        Port(
            f"{n:08d}-bench",
            "net-bench",
            f"fa:16:3e:00:{n // 256:02x}:{n % 256:02x}",
            [(subnet.id, f"10.99.{n // 250}.{n % 250 + 2}")],
            "compute:nova",
            "vm",
            "bench",
            1450,
            [group.id],
            True,
            [],
        )  # fmt: skip
        for n in range(ports)
    ]
    network = Network("net-bench", "vxlan", 99, None, 1450, False, [subnet], made)
    return DataPlane([network], [], [group])


async def measure(changes: int, ports: int) -> list[float]:
    """Seconds from each change signal to the rule being in the host namespace's ruleset."""
    state: dict[str, DataPlane] = {"now": desired(ports, None)}

    async def source() -> DataPlane:
        return state["now"]

    with tempfile.TemporaryDirectory() as state_dir:
        agent = DataPlaneAgent("bench", "kcbench" + uuid.uuid4().hex[:6], state_dir)
        service = AgentService(agent, source)
        await service.start()
        times = []
        try:
            for n in range(changes):
                tcp_port = 10000 + n
                state["now"] = desired(ports, tcp_port)
                start = time.perf_counter()
                service.changed()
                while f"tcp dport {tcp_port} " not in await asyncio.to_thread(
                    _ruleset, agent.host_ns
                ):
                    await asyncio.sleep(0.01)
                times.append(time.perf_counter() - start)
        finally:
            await service.stop()
            await agent.teardown()
    return times


def measure_api(changes: int, ports: int) -> list[float]:
    """Seconds from each rule POST until its rule is in the host namespace's ruleset."""
    host = "bench-" + uuid.uuid4().hex[:6]
    with load.cloud(env={"OS_NETWORK_AGENT__HOST": host}) as cloud:
        host_ns = Namespaces(cloud_prefix(cloud.state_dir, host)).host
        openrc = cloud.openrc()
        token = issue_token(identity_url(openrc), password_auth(openrc))
        base, headers = f"{cloud.url}/networking/v2.0", {"X-Auth-Token": token}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            group = _api_topology(client, host, ports)
            times, answered = [], []
            for n in range(changes):
                rule = {"security_group_id": group, "direction": "ingress", "protocol": "tcp",
                        "port_range_min": 10000 + n, "port_range_max": 10000 + n}  # fmt: skip
                start = time.perf_counter()
                client.post("/security-group-rules", json={"security_group_rule": rule})
                answered.append(time.perf_counter() - start)
                while f"tcp dport {10000 + n} " not in _ruleset(host_ns):
                    time.sleep(0.01)
                times.append(time.perf_counter() - start)
    print(f"(the API answered each rule create in {statistics.median(answered) * 1000:.1f} ms)")
    return times


def _api_topology(client: httpx.Client, host: str, ports: int) -> str:
    """A network with `ports` ports bound to host in one new group, in the data plane; the group."""
    network = client.post("/networks", json={"network": {"name": "bench-sg"}}).json()["network"]
    subnet = {"network_id": network["id"], "ip_version": 4, "cidr": "10.77.0.0/16"}
    client.post("/subnets", json={"subnet": subnet}).raise_for_status()
    group = client.post("/security-groups", json={"security_group": {"name": "bench"}})
    group_id = group.json()["security_group"]["id"]
    for _ in range(ports):
        port = {"network_id": network["id"], "security_groups": [group_id],
                "binding:host_id": host, "device_owner": "compute:nova"}  # fmt: skip
        client.post("/ports", json={"port": port}).raise_for_status()
    return group_id


def _ruleset(ns: str) -> str:
    return netlink.run(ns, "nft", "list", "table", "inet", "kcfilter")


def main(argv: list[str]) -> int:
    """Run and print the median and the 90th percentile."""
    parser = argparse.ArgumentParser(prog="python -m bench network_dataplane")
    parser.add_argument("--through", choices=["api", "agent"], default="api")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--ports", type=int, default=20)
    args = parser.parse_args(argv)
    if args.through == "api":
        times = sorted(measure_api(args.changes, args.ports))
    else:
        times = sorted(asyncio.run(measure(args.changes, args.ports)))
    median = statistics.median(times) * 1000
    p90 = times[int(len(times) * 0.9) - 1] * 1000
    print(
        f"security-group rule change -> data plane (through {args.through}, {args.ports} ports):"
        f" median {median:.1f} ms,"
        f" p90 {p90:.1f} ms over {len(times)} changes (target < 200 ms)"
    )
    return 0
