"""Routers, floating IPs and security groups through openstacksdk and the CLI."""

from __future__ import annotations

import pytest

from tests.functional.network.conftest import NetAPI


@pytest.fixture(scope="module")
def topology(cloud) -> dict:  # noqa: ANN001
    conn = cloud.connect()
    public = conn.network.create_network(
        name="rt-public",
        is_router_external=True,
        provider_network_type="flat",
        provider_physical_network="rt-physnet",
    )
    conn.network.create_subnet(
        network_id=public.id, ip_version=4, cidr="172.30.0.0/24", is_dhcp_enabled=False
    )
    private = conn.network.create_network(name="rt-private")
    subnet = conn.network.create_subnet(network_id=private.id, ip_version=4, cidr="10.50.0.0/24")
    return {"conn": conn, "public": public, "private": private, "subnet": subnet}


def test_router_gateway_interface_and_floating_ip(topology: dict) -> None:
    conn, public, subnet = topology["conn"], topology["public"], topology["subnet"]
    router = conn.network.create_router(name="rt", external_gateway_info={"network_id": public.id})
    gateway = router.external_gateway_info
    assert gateway["enable_snat"] is True
    assert gateway["external_fixed_ips"][0]["ip_address"].startswith("172.30.0.")
    info = conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    assert info["subnet_id"] == subnet.id and info["id"] == router.id
    interface = conn.network.get_port(info["port_id"])
    assert interface.device_owner == "network:router_interface"
    assert interface.fixed_ips[0]["ip_address"] == "10.50.0.1"
    port = conn.network.create_port(network_id=topology["private"].id)
    fip = conn.network.create_ip(floating_network_id=public.id, port_id=port.id)
    assert fip.router_id == router.id and fip.fixed_ip_address == port.fixed_ips[0]["ip_address"]
    fip = conn.network.update_ip(fip, port_id=None)
    assert (fip.port_id, fip.fixed_ip_address, fip.router_id) == (None, None, None)
    conn.network.update_ip(fip, port_id=port.id)
    in_use = conn.network.remove_interface_from_router
    with pytest.raises(Exception, match="required by one or more floating IPs"):
        in_use(router, subnet_id=subnet.id)
    with pytest.raises(Exception, match="still has ports"):
        conn.network.delete_router(router)
    conn.network.delete_ip(fip)
    conn.network.delete_port(port)
    conn.network.remove_interface_from_router(router, subnet_id=subnet.id)
    conn.network.delete_router(router)
    assert conn.network.find_port(info["port_id"]) is None


def test_floating_ip_without_route_to_external_network_is_404(
    cloud,
    topology: dict,  # noqa: ANN001
) -> None:
    api = NetAPI(cloud, cloud.admin_token())
    port = api.create("port", network_id=topology["private"].id)
    resp = api.post(
        "/floatingips",
        floatingip={"floating_network_id": topology["public"].id, "port_id": port["id"]},
    )
    assert api.error(resp, 404) == "ExternalGatewayForFloatingIPNotFound"
    from_private = api.post(
        "/floatingips", floatingip={"floating_network_id": topology["private"].id}
    )
    assert api.error(from_private, 400) == "BadRequest"
    gateway = api.post(
        "/routers", router={"external_gateway_info": {"network_id": topology["private"].id}}
    )
    assert api.error(gateway, 400) == "BadRequest"
    assert api.count("floatingip") == 0 or all(
        f["port_id"] != port["id"] for f in api.http.get("/floatingips").json()["floatingips"]
    )


def test_extra_routes_need_a_connected_nexthop(topology: dict) -> None:
    conn, subnet = topology["conn"], topology["subnet"]
    router = conn.network.create_router(name="routes")
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    routes = [{"destination": "10.99.0.0/16", "nexthop": "10.50.0.5"}]
    assert conn.network.update_router(router, routes=routes).routes == routes
    with pytest.raises(Exception, match="nexthop is not connected"):
        conn.network.update_router(
            router, routes=[{"destination": "0.0.0.0/0", "nexthop": "1.2.3.4"}]
        )
    assert conn.network.update_router(router, routes=[]).routes == []
    conn.network.remove_interface_from_router(router, subnet_id=subnet.id)
    conn.network.delete_router(router)


def test_security_groups_default_rules_and_rule_checks(cloud) -> None:  # noqa: ANN001
    user = cloud.new_project_user("member")
    conn = user.connect()
    groups = list(conn.network.security_groups())
    assert [g.name for g in groups] == ["default"]
    rules = groups[0].security_group_rules
    assert sorted((r["direction"], r["ethertype"], r["remote_group_id"]) for r in rules) == [
        ("egress", "IPv4", None),
        ("egress", "IPv6", None),
        ("ingress", "IPv4", groups[0].id),
        ("ingress", "IPv6", groups[0].id),
    ]
    web = cloud.cli_json("security group", "create", "web", env=_env(cloud, user))
    assert len(web["rules"]) == 2
    rule = cloud.cli_json(
        "security group rule", "create", "web", "--protocol", "tcp", "--dst-port", "80:81",
        env=_env(cloud, user),
    )  # fmt: skip
    assert (rule["port_range_min"], rule["port_range_max"], rule["protocol"]) == (80, 81, "tcp")
    again = cloud.cli(
        "security group rule", "create", "web", "--protocol", "tcp", "--dst-port", "80:81",
        env=_env(cloud, user), check=False,
    )  # fmt: skip
    assert again.returncode != 0 and "already exists" in again.stderr
    api = NetAPI(cloud, user.token())
    bad = [
        (
            {"protocol": "tcp", "port_range_min": 90, "port_range_max": 80},
            "SecurityGroupInvalidPortRange",
        ),
        ({"protocol": "icmp", "port_range_max": 3}, "SecurityGroupMissingIcmpType"),
        ({"port_range_min": 22}, "SecurityGroupProtocolRequiredWithPorts"),
        ({"protocol": "bogus"}, "SecurityGroupRuleInvalidProtocol"),
        ({"remote_ip_prefix": "::/0"}, "SecurityGroupRuleParameterConflict"),
    ]
    for attrs, kind in bad:
        body = {"security_group_id": web["id"], "direction": "ingress", **attrs}
        assert api.error(api.post("/security-group-rules", security_group_rule=body), 400) == kind
    assert api.error(api.post("/security-groups", security_group={"name": "default"}), 409)
    renamed = api.http.put(
        f"/security-groups/{groups[0].id}", json={"security_group": {"name": "x"}}
    )
    assert api.error(renamed, 409) == "SecurityGroupCannotUpdateDefault"


def _env(cloud, user) -> dict:  # noqa: ANN001
    env = dict(cloud.env)
    env.update(
        OS_USERNAME=user.user_name,
        OS_PASSWORD=user.password,
        OS_PROJECT_NAME=user.project_name,
    )
    return env
