"""`kilocloud network-agent` beside a cloud: killed with SIGKILL and started again, it rebuilds
the same data plane from the database; it reports itself in the agent list."""

from __future__ import annotations

import asyncio
import functools
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kilocloud.network.agent.names import cloud_prefix
from tests.functional.network_agent.dataplanes import cable, dhcp_lease, in_ns, pings
from tests.functional.network_agent.test_restart import sketch
from tests.functional.network_agent.test_with_api import as_port, eventually

pytest.importorskip("kilocloud.network.dataplane")


def start_agent(cloud, host: str, env: dict[str, str] | None = None) -> subprocess.Popen:  # noqa: ANN001
    """`kilocloud network-agent --host host` on the cloud's state and config."""
    argv = [sys.executable, "-m", "kilocloud", "network-agent", "--host", host]
    argv += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    environ = os.environ | (env or {})
    return subprocess.Popen(argv, stdout=cloud.log, stderr=subprocess.STDOUT, env=environ)


async def test_an_agent_killed_with_sigkill_rebuilds_its_data_plane_from_the_database(
    cloud_factory,
    servers,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    host = "cli-" + uuid.uuid4().hex[:6]
    settings = {"enabled": "false", "host": host, "resync_interval": "1", "report_interval": "1"}
    cloud = cloud_factory(config={"network_agent": settings})
    prefix = cloud_prefix(str(cloud.state_dir), host)
    agent = start_agent(cloud, host)
    conn = cloud.connect()
    net = conn.network.create_network(name="cli")
    conn.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.92.0.0/24")
    sg = conn.network.create_security_group(name="cli")
    conn.network.create_security_group_rule(
        security_group_id=sg.id, direction="ingress", ethertype="IPv4", protocol="icmp"
    )
    made = [
        conn.network.create_port(
            network_id=net.id,
            security_group_ids=[sg.id],
            binding_host_id=host,
            device_owner="compute:nova",
            device_id=str(uuid.uuid4()),
        )  # fmt: skip
        for _ in range(2)
    ]
    try:
        spaces = [await servers.plug(as_port(p), None, None) for p in made]
        leases = [await asyncio.to_thread(dhcp_lease, ns, str(tmp_path)) for ns in spaces]
        assert await asyncio.to_thread(pings, spaces[0], leases[1]["ip"], 3)
        agents = {a.agent_type for a in conn.network.agents() if a.host == host}
        assert {"Linux bridge agent", "DHCP agent", "L3 agent", "Metadata agent"} <= agents
        before = sketch(prefix)

        os.kill(agent.pid, signal.SIGKILL)
        agent.wait()
        in_ns(f"{prefix}-host", "ip", "link", "del", f"brq{net.id[:11]}")
        assert not await asyncio.to_thread(pings, spaces[0], leases[1]["ip"], 1)
        agent = start_agent(cloud, host)

        assert await asyncio.to_thread(eventually, lambda: sketch(prefix) == before, 20)
        assert await asyncio.to_thread(pings, spaces[0], leases[1]["ip"], 3)
    finally:
        for p in made:
            conn.network.delete_port(p)
        conn.network.delete_network(net)
        gone = lambda: not os.path.exists(f"/run/netns/{prefix}-host")  # noqa: E731
        assert await asyncio.to_thread(eventually, gone, 20)
        agent.terminate()
        agent.wait()


async def test_an_agent_beside_a_cloud_with_a_broker_follows_changes_at_once(
    cloud_factory,
    servers,  # noqa: ANN001
) -> None:
    host = "mq-" + uuid.uuid4().hex[:6]
    cloud = cloud_factory(
        config={
            "DEFAULT": {"transport_url": "rabbit://guest:guest@127.0.0.1:5672/"},
            "network_agent": {"enabled": "false", "host": host, "resync_interval": "600"},
        }
    )
    prefix = cloud_prefix(str(cloud.state_dir), host)
    agent = start_agent(cloud, host)
    conn = cloud.connect()
    try:
        assert await asyncio.to_thread(
            eventually, lambda: any(a.host == host for a in conn.network.agents()), 60
        )
        net = conn.network.create_network(name="mq")
        conn.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.93.0.0/24")
        dhcp_ns = f"{prefix}-qdhcp-{net.id}"
        assert await asyncio.to_thread(eventually, lambda: os.path.exists(f"/run/netns/{dhcp_ns}"))
        conn.network.delete_network(net)
        gone = lambda: not os.path.exists(f"/run/netns/{prefix}-host")  # noqa: E731
        assert await asyncio.to_thread(eventually, gone)
    finally:
        agent.terminate()
        agent.wait()


async def test_two_agents_carry_an_api_network_over_vxlan(
    cloud_factory,
    servers,
    underlay: str,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    settings = {"enabled": "false", "resync_interval": "1", "report_interval": "1"}
    cloud = cloud_factory(config={"network_agent": settings})
    hosts = ["vx1-" + uuid.uuid4().hex[:4], "vx2-" + uuid.uuid4().hex[:4]]
    host_namespaces, agents = [], []
    for number, host in enumerate(hosts, 1):
        host_ns = f"{cloud_prefix(str(cloud.state_dir), host)}-host"
        cable(underlay, host_ns, number)
        env = {"OS_NETWORK_AGENT__LOCAL_IP": f"192.168.78.{number}/24",
               "OS_NETWORK_AGENT__UNDERLAY_INTERFACE": "ul0"}  # fmt: skip
        host_namespaces.append(host_ns)
        agents.append(start_agent(cloud, host, env))
    conn = cloud.connect()
    try:
        net = conn.network.create_network(name="vx")
        conn.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.94.0.0/24")
        sg = conn.network.create_security_group(name="vx")
        conn.network.create_security_group_rule(
            security_group_id=sg.id, direction="ingress", ethertype="IPv4", protocol="icmp"
        )
        made = [
            conn.network.create_port(
                network_id=net.id,
                security_group_ids=[sg.id],
                binding_host_id=host,
                device_owner="compute:nova",
                device_id=str(uuid.uuid4()),
            )  # fmt: skip
            for host in hosts
        ]
        spaces = []
        for p, host_ns in zip(made, host_namespaces, strict=True):
            bridged = functools.partial(_has_bridge, host_ns, net.id)
            assert await asyncio.to_thread(eventually, bridged, 30)
            spaces.append(await servers.plug(as_port(p), None, host_ns))
        leases = [await asyncio.to_thread(dhcp_lease, ns, str(tmp_path)) for ns in spaces]

        assert [lease["ip"] for lease in leases] == [p.fixed_ips[0]["ip_address"] for p in made]
        assert await asyncio.to_thread(pings, spaces[0], leases[1]["ip"], 3)
        for p in made:
            conn.network.delete_port(p)
        conn.network.delete_network(net)
    finally:
        for agent, host in zip(agents, hosts, strict=True):
            agent.terminate()
            agent.wait()
            cloud.kilocloud("network-agent", "--host", host, "--teardown")
    assert not [ns for ns in host_namespaces if os.path.exists(f"/run/netns/{ns}")]


def _has_bridge(host_ns: str, network_id: str) -> bool:
    found = in_ns(host_ns, "ip", "link", "show", f"brq{network_id[:11]}", check=False)
    return found.returncode == 0
