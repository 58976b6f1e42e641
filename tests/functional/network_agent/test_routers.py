"""Routers join networks and NAT floating IPs to the external network."""

from __future__ import annotations

from kilocloud.network.agent.state import DataPlane, FloatingIp, Router, Rule
from tests.functional.network_agent.dataplanes import (
    ICMP_IN,
    group,
    network,
    pings,
    port,
    router_port,
    with_ports,
)


async def test_a_server_on_another_network_reaches_others_only_through_a_router(
    agent,
    servers,  # noqa: ANN001
) -> None:
    sg = group(ICMP_IN)
    net1, net2 = network("10.30.0.0/24", vni=301), network("10.31.0.0/24", vni=302)
    a = port(net1, "10.30.0.11", security_group_ids=[sg.id])
    c = port(net2, "10.31.0.11", security_group_ids=[sg.id])
    qr1, qr2 = router_port(net1, "10.30.0.1"), router_port(net2, "10.31.0.1")
    nets = [with_ports(net1, a, qr1), with_ports(net2, c, qr2)]
    await agent.sync(DataPlane(nets, [], [sg]))
    await servers.plug(a, "10.30.0.0/24", agent.host_ns, gateway="10.30.0.1")
    ns_c = await servers.plug(c, "10.31.0.0/24", agent.host_ns, gateway="10.31.0.1")
    assert not pings(ns_c, "10.30.0.11", count=1)

    router = Router("3" * 8 + "-r", None, True, [qr1, qr2], [], [])
    await agent.sync(DataPlane(nets, [router], [sg]))
    assert pings(ns_c, "10.30.0.11")

    await agent.sync(DataPlane(nets, [], [sg]))
    assert not pings(ns_c, "10.30.0.11", count=1)


async def test_a_floating_ip_makes_a_tcp_port_reachable_from_the_external_network(
    agent,
    servers,  # noqa: ANN001
) -> None:
    web = group(Rule("ingress", "IPv4", "tcp", 8080, 8080, "0.0.0.0/0", None))
    ext, net = network("172.24.4.0/24", external=True), network("10.40.0.0/24", vni=401)
    s = port(net, "10.40.0.11", security_group_ids=[web.id])
    qr, qg = (
        router_port(net, "10.40.0.1"),
        router_port(ext, "172.24.4.10", "network:router_gateway"),
    )
    outside = router_port(ext, "172.24.4.1", "compute:outside")
    fip = FloatingIp("f1", "172.24.4.50", "10.40.0.11", s.id)
    router = Router("4" * 8 + "-r", qg, True, [qr], [], [fip])
    await agent.sync(
        DataPlane([with_ports(ext, qg, outside), with_ports(net, s, qr)], [router], [web])
    )
    ns_s = await servers.plug(s, "10.40.0.0/24", agent.host_ns, gateway="10.40.0.1")
    ns_out = await servers.plug(outside, "172.24.4.0/24", agent.host_ns)
    server = servers.serve_tcp(ns_s, 8080, b"hello from the server")

    assert servers.fetch_tcp(ns_out, "172.24.4.50", 8080) == b"hello from the server"
    assert server.poll() is None
