"""An agent killed with SIGKILL and started again rebuilds the same data plane; delete leaves
nothing behind."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

from pyroute2 import netns

from kilocloud.network.agent import dhcp
from kilocloud.network.agent.state import DataPlane, Router
from tests.functional.network_agent.dataplanes import (
    ICMP_IN,
    group,
    in_ns,
    network,
    pings,
    port,
    router_port,
    with_ports,
)

ROOT = Path(__file__).parents[3]


def run_agent_process(agent, desired: DataPlane, tmp_path: Path) -> subprocess.Popen:  # noqa: ANN001
    """Start an agent process on the same prefix and state and wait for its first sync."""
    path = tmp_path / "desired.pickle"
    path.write_bytes(pickle.dumps(desired))
    state_dir = str(agent.dhcp_root.parents[1])
    argv = [sys.executable, "-m", "tests.functional.network_agent.agent_process"]
    argv += [agent.host, agent.namespaces.prefix, state_dir, str(path)]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "synced"
    return proc


def sketch(prefix: str) -> tuple[list[str], str]:
    """What exists: our namespaces and the host namespace's links and filter rules."""
    namespaces = sorted(ns for ns in netns.listnetns() if ns.startswith(prefix))
    links = in_ns(f"{prefix}-host", "ip", "-o", "link", "show").stdout
    names = sorted(line.split(":")[1].strip().split("@")[0] for line in links.splitlines())
    return namespaces, " ".join(names) + in_ns(f"{prefix}-host", "nft", "list", "ruleset").stdout


async def test_an_agent_killed_and_restarted_rebuilds_the_same_data_plane(
    agent,
    servers,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    sg = group(ICMP_IN)
    net1, net2 = network("10.80.0.0/24", dhcp=True, vni=801), network("10.81.0.0/24", vni=802)
    dhcp_port = port(
        net1, "10.80.0.2", owner="network:dhcp", host=None, port_security_enabled=False
    )
    a, c = (
        port(net1, "10.80.0.11", security_group_ids=[sg.id]),
        port(net2, "10.81.0.11", security_group_ids=[sg.id]),
    )
    qr1, qr2 = router_port(net1, "10.80.0.1"), router_port(net2, "10.81.0.1")
    router = Router("8" * 8 + "-r", None, True, [qr1, qr2], [], [])
    desired = DataPlane(
        [with_ports(net1, dhcp_port, a, qr1), with_ports(net2, c, qr2)], [router], [sg]
    )
    first = run_agent_process(agent, desired, tmp_path)
    ns_a = await servers.plug(a, "10.80.0.0/24", agent.host_ns, gateway="10.80.0.1")
    ns_c = await servers.plug(c, "10.81.0.0/24", agent.host_ns, gateway="10.81.0.1")
    assert pings(ns_c, "10.80.0.11")
    before = sketch(agent.namespaces.prefix)
    dnsmasq = dhcp.running(agent.dhcp_root / net1.id)

    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    first.stdout.close()
    in_ns(agent.host_ns, "ip", "link", "del", f"brq{net2.id[:11]}")  # damage while no agent ran
    second = run_agent_process(agent, desired, tmp_path)
    try:
        assert sketch(agent.namespaces.prefix) == before
        assert dhcp.running(agent.dhcp_root / net1.id) == dnsmasq
        assert pings(ns_c, "10.80.0.11")
        assert pings(ns_a, "10.81.0.11")
    finally:
        second.kill()
        second.wait()
        second.stdout.close()


async def test_sync_of_nothing_removes_every_namespace_bridge_veth_and_dnsmasq(
    agent,
    servers,  # noqa: ANN001
) -> None:
    net = network("10.82.0.0/24", dhcp=True, vni=821)
    dhcp_port = port(net, "10.82.0.2", owner="network:dhcp", host=None, port_security_enabled=False)
    qr = router_port(net, "10.82.0.1")
    await agent.sync(
        DataPlane([with_ports(net, dhcp_port, qr)], [Router("r82", None, True, [qr], [], [])], [])
    )
    folder = agent.dhcp_root / net.id
    pid = dhcp.running(folder)
    assert pid is not None

    await agent.sync(DataPlane([], [], []))

    assert [ns for ns in netns.listnetns() if ns.startswith(agent.namespaces.prefix)] == []
    assert dhcp.running(folder) is None
    assert (
        f"--pid-file={folder}/pid" not in Path(f"/proc/{pid}/cmdline").read_text()
        if Path(f"/proc/{pid}").exists()
        else True
    )
