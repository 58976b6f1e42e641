"""Networks, subnets and ports through the openstack CLI and openstacksdk, as Neutron answers."""

from __future__ import annotations

import httpx
import pytest

from tests.functional.network.conftest import NetAPI


@pytest.fixture(scope="module")
def net(admin_api: NetAPI) -> dict:
    network = admin_api.create("network", name="basics")
    subnet = admin_api.create(
        "subnet", network_id=network["id"], ip_version=4, cidr="10.20.0.0/24", name="basics-v4"
    )
    return {"network": network, "subnet": subnet}


def test_version_document_is_open_and_links_v2(cloud) -> None:  # noqa: ANN001
    body = httpx.get(f"{cloud.url}/networking/").json()
    assert body["versions"] == [
        {
            "id": "v2.0",
            "status": "CURRENT",
            "links": [{"rel": "self", "href": f"{cloud.url}/networking/v2.0/"}],
        }
    ]
    assert httpx.get(f"{cloud.url}/networking/v2.0").status_code in (401, 404)


def test_catalog_names_neutron(cloud) -> None:  # noqa: ANN001
    conn = cloud.connect()
    assert conn.network.get_endpoint().rstrip("/") == f"{cloud.url}/networking/v2.0"
    assert conn.identity.find_service("neutron").type == "network"
    assert conn.network.find_extension("router").name == "Neutron L3 Router"


def test_cli_network_subnet_port(cloud) -> None:  # noqa: ANN001
    network = cloud.cli_json("network", "create", "cli-net")
    assert network["mtu"] == 1450 and network["provider:network_type"] == "vxlan"
    subnet = cloud.cli_json(
        "subnet", "create", "cli-sub", "--network", "cli-net", "--subnet-range", "10.30.0.0/24",
        "--dns-nameserver", "10.30.0.53",
        "--host-route", "destination=10.99.0.0/16,gateway=10.30.0.9",
    )  # fmt: skip
    assert subnet["gateway_ip"] == "10.30.0.1"
    assert subnet["allocation_pools"] == [{"start": "10.30.0.2", "end": "10.30.0.254"}]
    assert subnet["dns_nameservers"] == ["10.30.0.53"]
    port = cloud.cli_json(
        "port", "create", "cli-port", "--network", "cli-net",
        "--fixed-ip", "subnet=cli-sub,ip-address=10.30.0.77", "--tag", "blue",
    )  # fmt: skip
    assert port["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": "10.30.0.77"}]
    assert port["tags"] == ["blue"] and port["mac_address"].startswith("fa:16:3e:")
    # the admin sees every project's `default` group: the one of its own project is meant
    groups = cloud.cli_json("security group", "list", "--project", "admin")
    assert port["security_group_ids"] == [g["ID"] for g in groups if g["Name"] == "default"]
    listed = cloud.cli_json("port", "list", "--network", "cli-net", "--long")
    assert "10.30.0.77" in str(listed)
    cloud.cli("port", "delete", "cli-port")
    cloud.cli("subnet", "delete", "cli-sub")
    cloud.cli("network", "delete", "cli-net")
    assert cloud.cli("network", "show", "cli-net", check=False).returncode != 0


def test_sdk_ipv6_subnet_and_dual_stack_port(cloud) -> None:  # noqa: ANN001
    conn = cloud.connect()
    network = conn.network.create_network(name="dual")
    conn.network.create_subnet(network_id=network.id, ip_version=4, cidr="10.40.0.0/28")
    v6 = conn.network.create_subnet(
        network_id=network.id,
        ip_version=6,
        cidr="2001:db8:40::/64",
        ipv6_ra_mode="slaac",
        ipv6_address_mode="slaac",
    )
    assert v6.gateway_ip == "2001:db8:40::1"
    port = conn.network.create_port(network_id=network.id)
    versions = sorted(ip["ip_address"] for ip in port.fixed_ips)
    mac = port.mac_address.split(":")
    eui = f"2001:db8:40::{int(mac[0], 16) ^ 2:x}{mac[1]}:{mac[2]}ff:fe{mac[3]}:{mac[4]}{mac[5]}"
    assert versions[0].startswith("10.40.0.")
    assert versions[1] == str(__import__("ipaddress").ip_address(eui))
    conn.network.delete_port(port)
    conn.network.delete_network(network)


def test_network_update_and_if_match(admin_api: NetAPI, net: dict) -> None:
    network_id = net["network"]["id"]
    shown = admin_api.http.get(f"/networks/{network_id}").json()["network"]
    assert shown["subnets"] == [net["subnet"]["id"]]
    revision = shown["revision_number"]
    stale = {"If-Match": f"revision_number={revision - 1}"}
    resp = admin_api.http.put(
        f"/networks/{network_id}", json={"network": {"name": "x"}}, headers=stale
    )
    assert admin_api.error(resp, 412) == "RevisionNumberConstraintFailed"
    fresh = {"If-Match": f"revision_number={revision}"}
    resp = admin_api.http.put(
        f"/networks/{network_id}", json={"network": {"description": "d"}}, headers=fresh
    )
    assert resp.status_code == 200 and resp.json()["network"]["revision_number"] == revision + 1


def test_extensions_list_what_is_served(admin_api: NetAPI) -> None:
    aliases = {e["alias"] for e in admin_api.http.get("/extensions").json()["extensions"]}
    assert {"router", "security-group", "external-net", "quotas", "standard-attr-tag"} <= aliases
    assert (
        admin_api.http.get("/extensions/router").json()["extension"]["name"] == "Neutron L3 Router"
    )
    assert admin_api.error(admin_api.http.get("/extensions/qos"), 404)


def test_filters_fields_sorting_and_paging(admin_api: NetAPI) -> None:
    made = [admin_api.create("network", name=f"page-{i}")["id"] for i in range(5)]
    resp = admin_api.http.get("/networks", params={"name": "page-3", "fields": ["id", "name"]})
    assert resp.json()["networks"] == [{"id": made[3], "name": "page-3"}]
    seen, params = [], {"limit": 2, "sort_key": "name", "sort_dir": "asc"}
    page = admin_api.http.get("/networks", params=params).json()
    while True:
        seen += [n["name"] for n in page["networks"]]
        nxt = [link for link in page.get("networks_links", []) if link["rel"] == "next"]
        if not nxt:
            break
        page = httpx.get(nxt[0]["href"], headers=admin_api.http.headers).json()
    assert seen == sorted(seen) and {f"page-{i}" for i in range(5)} <= set(seen)
    bad = admin_api.http.get("/networks", params={"sort_key": "subnets"})
    assert admin_api.error(bad, 400) == "HTTPBadRequest"
    unknown = admin_api.http.get("/networks", params={"colour": "red"})
    assert admin_api.error(unknown, 400) == "HTTPBadRequest"
    tagged = made[0]
    assert admin_api.http.put(f"/networks/{tagged}/tags/red").status_code == 201
    assert [n["id"] for n in admin_api.http.get("/networks?tags=red").json()["networks"]] == [
        tagged
    ]
    for network_id in made:
        assert admin_api.http.delete(f"/networks/{network_id}").status_code == 204


def test_quotas_show_and_enforce(cloud, admin_api: NetAPI) -> None:  # noqa: ANN001
    user = cloud.new_project_user("member")
    mine = NetAPI(cloud, user.token())
    assert mine.http.get(f"/quotas/{user.project_id}").json()["quota"]["network"] == 100
    resp = admin_api.http.put(f"/quotas/{user.project_id}", json={"quota": {"network": 1}})
    assert resp.status_code == 200 and resp.json()["quota"]["network"] == 1
    mine.create("network", name="one")
    over = mine.post("/networks", network={"name": "two"})
    assert mine.error(over, 409) == "OverQuota"
    details = mine.http.get(f"/quotas/{user.project_id}/details").json()["quota"]
    assert details["network"] == {"limit": 1, "used": 1, "reserved": 0}
    denied = mine.http.put(f"/quotas/{user.project_id}", json={"quota": {"network": 5}})
    assert mine.error(denied, 403) == "PolicyNotAuthorized"
