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


async def test_a_floating_ip_from_the_api_reaches_a_server_from_the_external_network(
    cloud_factory,
    servers,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    host = "e2e-" + uuid.uuid4().hex[:6]
    cloud = cloud_factory(config={"network_agent": {"host": host}})
    conn = cloud.connect()
    public = conn.network.create_network(
        name="e2e-public", is_router_external=True,
        provider_network_type="flat", provider_physical_network="public",
    )  # fmt: skip
    conn.network.create_subnet(
        network_id=public.id, ip_version=4, cidr="172.31.0.0/24", is_dhcp_enabled=False
    )
    private = conn.network.create_network(name="e2e-private")
    subnet = conn.network.create_subnet(network_id=private.id, ip_version=4, cidr="10.91.0.0/24")
    router = conn.network.create_router(name="e2e", external_gateway_info={"network_id": public.id})
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    web = conn.network.create_security_group(name="e2e-web")
    conn.network.create_security_group_rule(
        security_group_id=web.id, direction="ingress", ethertype="IPv4", protocol="tcp",
        port_range_min=8080, port_range_max=8080,
    )  # fmt: skip
    bound = {"binding_host_id": host, "device_id": str(uuid.uuid4())}
    server = conn.network.create_port(
        network_id=private.id, security_group_ids=[web.id], device_owner="compute:nova", **bound
    )
    outside = conn.network.create_port(
        network_id=public.id, port_security_enabled=False, device_owner="compute:nova", **bound
    )
    fip = conn.network.create_ip(floating_network_id=public.id, port_id=server.id)
    try:
        ns_server = await servers.plug(as_port(server), None, None)
        await asyncio.to_thread(dhcp_lease, ns_server, str(tmp_path))
        ns_out = await servers.plug(as_port(outside), "172.31.0.0/24", None)
        servers.serve_tcp(ns_server, 8080, b"through the floating ip")

        def reached() -> bool:
            return servers.fetch_tcp(ns_out, fip.floating_ip_address, 8080) != b""

        assert await asyncio.to_thread(eventually, reached, 20)
        got = servers.fetch_tcp(ns_out, fip.floating_ip_address, 8080)
        assert got == b"through the floating ip"
    finally:
        conn.network.delete_ip(fip)
        conn.network.delete_port(server)
        conn.network.delete_port(outside)
        conn.network.remove_interface_from_router(router, subnet_id=subnet.id)
        conn.network.delete_router(router)
        conn.network.delete_network(private)
        conn.network.delete_network(public)
    tag = cloud_tag(str(cloud.state_dir))
    left = lambda: not [ns for ns in netns.listnetns() if ns.startswith(tag)]  # noqa: E731
    assert await asyncio.to_thread(eventually, left)
