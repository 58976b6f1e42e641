"""Servers on one network reach each other as their security groups allow, with real packets."""

from __future__ import annotations

from dataclasses import replace

from kilocloud.network.agent.state import DataPlane, Rule
from tests.functional.network_agent.dataplanes import (
    ICMP_IN,
    group,
    network,
    pings,
    port,
    with_ports,
)


async def test_two_servers_on_one_network_ping_each_other(agent, servers) -> None:  # noqa: ANN001
    sg = group(ICMP_IN)
    net = network("10.20.0.0/24")
    a = port(net, "10.20.0.11", security_group_ids=[sg.id])
    b = port(net, "10.20.0.12", security_group_ids=[sg.id])
    await agent.sync(DataPlane([with_ports(net, a, b)], [], [sg]))
    ns_a = await servers.plug(a, "10.20.0.0/24", agent.host_ns)
    ns_b = await servers.plug(b, "10.20.0.0/24", agent.host_ns)

    assert pings(ns_a, "10.20.0.12")
    assert pings(ns_b, "10.20.0.11")


async def test_icmp_rule_lets_a_ping_through_and_its_removal_drops_it(agent, servers) -> None:  # noqa: ANN001
    sg = group()
    net = network("10.21.0.0/24")
    a = port(net, "10.21.0.11", security_group_ids=[sg.id])
    b = port(net, "10.21.0.12", security_group_ids=[sg.id])
    before = DataPlane([with_ports(net, a, b)], [], [sg])
    await agent.sync(before)
    ns_a = await servers.plug(a, "10.21.0.0/24", agent.host_ns)
    await servers.plug(b, "10.21.0.0/24", agent.host_ns)
    assert not pings(ns_a, "10.21.0.12", count=1)

    await agent.sync(replace(before, security_groups=[replace(sg, rules=[*sg.rules, ICMP_IN])]))
    assert pings(ns_a, "10.21.0.12")

    await agent.sync(before)
    assert not pings(ns_a, "10.21.0.12", count=1)


async def test_a_spoofed_source_address_is_dropped(agent, servers) -> None:  # noqa: ANN001
    sg = group(ICMP_IN)
    net = network("10.22.0.0/24")
    a = port(net, "10.22.0.11", security_group_ids=[sg.id])
    b = port(net, "10.22.0.12", security_group_ids=[sg.id])
    await agent.sync(DataPlane([with_ports(net, a, b)], [], [sg]))
    spoofing = replace(a, fixed_ips=[(net.subnets[0].id, "10.22.0.99")])
    ns_a = await servers.plug(spoofing, "10.22.0.0/24", agent.host_ns)
    await servers.plug(b, "10.22.0.0/24", agent.host_ns)

    assert not pings(ns_a, "10.22.0.12", count=1)


async def test_networks_with_the_same_addresses_are_filtered_apart(agent, servers) -> None:  # noqa: ANN001
    open_group, closed_group = group(ICMP_IN), group()
    net_a, net_b = network("10.96.0.0/24", vni=961), network("10.96.0.0/24", vni=962)
    a1 = port(net_a, "10.96.0.11", security_group_ids=[open_group.id])
    a2 = port(net_a, "10.96.0.12", security_group_ids=[open_group.id])
    b1 = port(net_b, "10.96.0.11", security_group_ids=[closed_group.id])
    b2 = port(net_b, "10.96.0.12", security_group_ids=[closed_group.id])
    nets = [with_ports(net_a, a1, a2), with_ports(net_b, b1, b2)]
    await agent.sync(DataPlane(nets, [], [open_group, closed_group]))
    ns = [await servers.plug(p, "10.96.0.0/24", agent.host_ns) for p in (a1, a2, b1, b2)]

    assert pings(ns[0], "10.96.0.12")
    assert pings(ns[1], "10.96.0.11")
    assert not pings(ns[2], "10.96.0.12", count=1)
    assert not pings(ns[3], "10.96.0.11", count=1)


async def test_a_remote_group_rule_admits_only_the_groups_members(agent, servers) -> None:  # noqa: ANN001
    net = network("10.98.0.0/24", vni=981)
    members = group(members=["10.98.0.11", "10.98.0.12"])
    members = replace(
        members,
        rules=[*members.rules, Rule("ingress", "IPv4", "icmp", None, None, None, members.id)],
    )
    outsider_group = group()
    a = port(net, "10.98.0.11", security_group_ids=[members.id])
    b = port(net, "10.98.0.12", security_group_ids=[members.id])
    outsider = port(net, "10.98.0.13", security_group_ids=[outsider_group.id])
    await agent.sync(DataPlane([with_ports(net, a, b, outsider)], [], [members, outsider_group]))
    ns_a = await servers.plug(a, "10.98.0.0/24", agent.host_ns)
    await servers.plug(b, "10.98.0.0/24", agent.host_ns)
    ns_out = await servers.plug(outsider, "10.98.0.0/24", agent.host_ns)

    assert pings(ns_a, "10.98.0.12")
    assert not pings(ns_out, "10.98.0.12", count=1)


async def test_allowed_address_pairs_let_a_port_send_from_another_address(agent, servers) -> None:  # noqa: ANN001
    sg = group(ICMP_IN)
    net = network("10.99.0.0/24", vni=991)
    a = port(net, "10.99.0.11", security_group_ids=[sg.id])
    b = port(net, "10.99.0.12", security_group_ids=[sg.id])
    paired = replace(a, allowed_address_pairs=[("10.99.0.100/32", None)])
    await agent.sync(DataPlane([with_ports(net, paired, b)], [], [sg]))
    vip = replace(a, fixed_ips=[(net.subnets[0].id, "10.99.0.100")])
    ns_vip = await servers.plug(vip, "10.99.0.0/24", agent.host_ns)
    await servers.plug(b, "10.99.0.0/24", agent.host_ns)
    assert pings(ns_vip, "10.99.0.12")

    await agent.sync(DataPlane([with_ports(net, a, b)], [], [sg]))
    assert not pings(ns_vip, "10.99.0.12", count=1)
