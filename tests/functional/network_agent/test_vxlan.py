"""Two agents (two hosts) carry a tenant network over VXLAN across an underlay the test makes."""

from __future__ import annotations

from kilocloud.network.agent.agent import DataPlaneAgent
from kilocloud.network.agent.bridges import L2Config
from kilocloud.network.agent.state import DataPlane
from tests.functional.network_agent.dataplanes import (
    ICMP_IN,
    cable,
    group,
    network,
    pings,
    port,
    with_ports,
)


async def test_two_agents_carry_a_network_over_vxlan(
    prefix: str,
    underlay: str,
    servers,
    tmp_path,  # noqa: ANN001
) -> None:
    agents = []
    for number in (1, 2):
        l2 = L2Config(local_ip=f"192.168.77.{number}/24", underlay_interface="ul0")
        made = DataPlaneAgent(f"h{number}", f"{prefix}-h{number}", str(tmp_path), l2)
        cable(underlay, made.host_ns, number)
        agents.append(made)
    sg = group(ICMP_IN)
    net = network("10.70.0.0/24", vni=700)
    a = port(net, "10.70.0.11", host="h1", security_group_ids=[sg.id])
    b = port(net, "10.70.0.12", host="h2", security_group_ids=[sg.id])
    try:
        for made in agents:
            await made.sync(DataPlane([with_ports(net, a, b)], [], [sg]))
        ns_a = await servers.plug(a, "10.70.0.0/24", agents[0].host_ns)
        await servers.plug(b, "10.70.0.0/24", agents[1].host_ns)

        assert pings(ns_a, "10.70.0.12", count=3)
    finally:
        for made in agents:
            await made.teardown()
