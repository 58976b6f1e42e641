"""DHCP: a server's lease matches its port, and changes reach dnsmasq."""

from __future__ import annotations

from pathlib import Path

from kilocloud.network.agent import dhcp
from kilocloud.network.agent.state import DataPlane
from tests.functional.network_agent.dataplanes import dhcp_lease, group, network, port, with_ports


async def test_a_server_gets_the_lease_of_its_port(agent, servers, tmp_path: Path) -> None:  # noqa: ANN001
    sg = group()
    net = network("10.50.0.0/24", dhcp=True, vni=501)
    dhcp_port = port(net, "10.50.0.2", owner="network:dhcp", host=None, port_security_enabled=False)
    s = port(net, "10.50.0.11", security_group_ids=[sg.id])
    await agent.sync(DataPlane([with_ports(net, dhcp_port, s)], [], [sg]))
    ns = await servers.plug(s, None, agent.host_ns)

    lease = dhcp_lease(ns, str(tmp_path))

    assert lease["ip"] == "10.50.0.11"
    assert lease["subnet"] == "255.255.255.0"
    assert lease["router"] == "10.50.0.1"
    assert lease["mtu"] == "1450"
    assert lease["staticroutes"] == "169.254.169.254/32 10.50.0.2 0.0.0.0/0 10.50.0.1"


async def test_a_new_port_reaches_a_running_dnsmasq_and_delete_stops_it(
    agent,
    servers,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    net = network("10.51.0.0/24", dhcp=True, vni=511)
    dhcp_port = port(net, "10.51.0.2", owner="network:dhcp", host=None, port_security_enabled=False)
    first = DataPlane([with_ports(net, dhcp_port)], [], [])
    await agent.sync(first)
    folder = agent.dhcp_root / net.id
    pid = dhcp.running(folder)
    s = port(net, "10.51.0.12", port_security_enabled=False)

    await agent.sync(DataPlane([with_ports(net, dhcp_port, s)], [], []))
    ns = await servers.plug(s, None, agent.host_ns)

    assert dhcp.running(folder) == pid
    assert dhcp_lease(ns, str(tmp_path))["ip"] == "10.51.0.12"
    await agent.sync(DataPlane([], [], []))
    assert dhcp.running(folder) is None
    assert not folder.exists()
