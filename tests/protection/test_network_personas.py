"""The network policy by persona: admin, member, reader of the owning project, another
project's member, and a service user; 403 where the caller may see the resource, 404 where not."""

from __future__ import annotations

import pytest

from tests.functional.network.conftest import NetAPI


@pytest.fixture(scope="module")
def world(cloud) -> dict:  # noqa: ANN001
    member = cloud.new_project_user("member")
    admin = cloud.connect()
    reader = cloud.new_project_user("reader")
    admin.identity.assign_project_role_to_user(
        member.project_id, reader.user_id, admin.identity.find_role("reader")
    )
    apis = {
        "admin": NetAPI(cloud, cloud.admin_token()),
        "member": NetAPI(cloud, member.token()),
        "reader": NetAPI(
            cloud, cloud.token(reader.user_name, reader.password, member.project_name)
        ),
        "other": NetAPI(cloud, cloud.new_project_user("member").token()),
        "service": NetAPI(cloud, cloud.new_project_user("service").token()),
    }
    network = apis["member"].create("network", name="owned")
    apis["member"].create("subnet", network_id=network["id"], ip_version=4, cidr="10.95.0.0/24")
    port = apis["member"].create("port", network_id=network["id"], name="mine")
    router = apis["member"].create("router", name="r")
    return {**apis, "network": network, "port": port, "router": router}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("member", 200), ("reader", 200), ("other", 404), ("service", 200)],
)
def test_show_network(world: dict, persona: str, status: int) -> None:
    resp = world[persona].http.get(f"/networks/{world['network']['id']}")
    assert resp.status_code == status, resp.text


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("member", 200), ("reader", 403), ("other", 404)]
)
def test_update_network(world: dict, persona: str, status: int) -> None:
    resp = world[persona].http.put(
        f"/networks/{world['network']['id']}", json={"network": {"description": persona}}
    )
    assert resp.status_code == status, resp.text
    if status == 403:
        assert resp.json()["NeutronError"]["type"] == "PolicyNotAuthorized"


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("member", 200), ("reader", 403), ("other", 404)]
)
def test_update_router(world: dict, persona: str, status: int) -> None:
    resp = world[persona].http.put(
        f"/routers/{world['router']['id']}", json={"router": {"name": persona}}
    )
    assert resp.status_code == status, resp.text


@pytest.mark.parametrize(("persona", "status"), [("reader", 403), ("other", 404)])
def test_delete_port_denied(world: dict, persona: str, status: int) -> None:
    resp = world[persona].http.delete(f"/ports/{world['port']['id']}")
    assert resp.status_code == status, resp.text


def test_lists_show_only_what_the_caller_may_see(world: dict) -> None:
    ids = {n["id"] for n in world["other"].http.get("/networks").json()["networks"]}
    assert world["network"]["id"] not in ids
    assert world["reader"].count("port", network_id=world["network"]["id"]) == 2  # with DHCP's
    assert world["admin"].count("network", id=world["network"]["id"]) == 1


def test_admin_only_attributes(world: dict) -> None:
    member, admin = world["member"], world["admin"]
    shared = member.post("/networks", network={"name": "s", "shared": True})
    assert member.error(shared, 403) == "PolicyNotAuthorized"
    external = member.post("/networks", network={"name": "e", "router:external": True})
    assert member.error(external, 403) == "PolicyNotAuthorized"
    shown = member.http.get(f"/networks/{world['network']['id']}").json()["network"]
    assert "provider:network_type" not in shown
    assert (
        "provider:network_type"
        in admin.http.get(f"/networks/{world['network']['id']}").json()["network"]
    )
    port = member.http.get(f"/ports/{world['port']['id']}").json()["port"]
    assert "binding:host_id" not in port and "binding:vif_type" not in port
    bound = member.post(
        "/ports", port={"network_id": world["network"]["id"], "binding:host_id": "h"}
    )
    assert member.error(bound, 403) == "PolicyNotAuthorized"
    made = world["service"].post(
        "/ports", port={"network_id": world["network"]["id"], "binding:host_id": "h"}
    )
    assert made.status_code == 201 and made.json()["port"]["binding:vif_type"] == "bridge"


def test_reader_cannot_create(world: dict) -> None:
    resp = world["reader"].post("/ports", port={"network_id": world["network"]["id"]})
    assert world["reader"].error(resp, 403) == "PolicyNotAuthorized"


def test_shared_network_takes_other_projects_ports(world: dict) -> None:
    admin, other = world["admin"], world["other"]
    network = admin.create("network", name="open", shared=True)
    admin.create("subnet", network_id=network["id"], ip_version=4, cidr="10.96.0.0/24")
    port = other.create("port", network_id=network["id"])
    assert port["fixed_ips"][0]["ip_address"].startswith("10.96.0.")
    device = other.post(
        "/ports", port={"network_id": network["id"], "device_owner": "network:dhcp"}
    )
    assert other.error(device, 403) == "PolicyNotAuthorized"
    unshare = admin.http.put(f"/networks/{network['id']}", json={"network": {"shared": False}})
    assert admin.error(unshare, 409) == "InvalidSharedSetting"


def test_agents_and_quotas(world: dict) -> None:
    assert world["member"].http.get("/agents").json() == {"agents": []}
    assert world["admin"].http.get("/agents").status_code == 200
    other = world["other"].http.get(f"/quotas/{world['port']['project_id']}")
    assert world["other"].error(other, 403) == "PolicyNotAuthorized"
    availability = world["member"].http.get("/network-ip-availabilities")
    assert world["member"].error(availability, 403) == "PolicyNotAuthorized"
