"""Security-group rule change -> data plane: the time from the change signal until the host's
nftables ruleset filters by the new rule (median of N changes, target < 200 ms).

Usage: python -m bench network_dataplane [--changes N] [--ports N]   (root: makes namespaces)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
import uuid

from kilocloud.network.agent.agent import DataPlaneAgent
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
                    await asyncio.sleep(0.002)
                times.append(time.perf_counter() - start)
        finally:
            await service.stop()
            await agent.teardown()
    return times


def _ruleset(ns: str) -> str:
    done = subprocess.run(["ip", "netns", "exec", ns, "nft", "list", "table", "inet", "kcfilter"],
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout


def main(argv: list[str]) -> int:
    """Run and print the median and the 90th percentile."""
    parser = argparse.ArgumentParser(prog="python -m bench network_dataplane")
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--ports", type=int, default=20)
    args = parser.parse_args(argv)
    times = sorted(asyncio.run(measure(args.changes, args.ports)))
    median = statistics.median(times) * 1000
    p90 = times[int(len(times) * 0.9) - 1] * 1000
    print(
        f"security-group rule change -> data plane ({args.ports} ports): median {median:.1f} ms,"
        f" p90 {p90:.1f} ms over {len(times)} changes (target < 200 ms)"
    )
    return 0
