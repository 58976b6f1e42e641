"""The data plane follows the Networking API of a running cloud (agent in-process, as `kilocloud
up` runs it): DHCP leases match the ports, security group rules reach the filters, and deleting
everything leaves nothing on the machine."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest
from pyroute2 import netns

from kilocloud.network.agent.names import cloud_tag
from kilocloud.network.agent.state import Port
from tests.functional.network_agent.dataplanes import dhcp_lease, pings

pytest.importorskip("kilocloud.network.dataplane")


def as_port(sdk_port) -> Port:  # noqa: ANN001
    """The agent's view of a port the API returned, for plugging it."""
    return Port(
        sdk_port.id, sdk_port.network_id, sdk_port.mac_address,
        [(ip["subnet_id"], ip["ip_address"]) for ip in sdk_port.fixed_ips],
        sdk_port.device_owner, sdk_port.device_id, sdk_port.binding_host_id, 1450, [], True, [],
    )  # fmt: skip


def eventually(check, seconds: float = 10.0) -> bool:  # noqa: ANN001
    """Whether check() becomes true within the time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


async def test_servers_plugged_on_an_api_network_get_their_leases_and_their_rules(
    cloud_factory,
    servers,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    host = "e2e-" + uuid.uuid4().hex[:6]
    cloud = cloud_factory(config={"network_agent": {"host": host, "report_interval": "2"}})
    conn = cloud.connect()
    net = conn.network.create_network(name="e2e")
    conn.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.90.0.0/24", name="e2e")
    sg = conn.network.create_security_group(name="e2e")
    icmp = conn.network.create_security_group_rule(
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
        assert [lease["ip"] for lease in leases] == [p.fixed_ips[0]["ip_address"] for p in made]
        assert await asyncio.to_thread(pings, spaces[0], leases[1]["ip"], 3)

        conn.network.delete_security_group_rule(icmp)
        gone = lambda: not pings(spaces[0], leases[1]["ip"], 1)  # noqa: E731
        assert await asyncio.to_thread(eventually, gone)
    finally:
        for p in made:
            conn.network.delete_port(p)
        conn.network.delete_network(net)
    tag = cloud_tag(str(cloud.state_dir))
    left = lambda: not [ns for ns in netns.listnetns() if ns.startswith(tag)]  # noqa: E731
    assert await asyncio.to_thread(eventually, left)
