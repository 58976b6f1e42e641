"""Servers through the fake driver: CLI, openstacksdk, novaclient; states, bad input, quotas."""

from __future__ import annotations

import concurrent.futures
import uuid

import pytest
from novaclient import client as nova_client

from tests.functional.compute.conftest import ComputeAPI, error, make_image, wait_status


@pytest.fixture(scope="module")
def image(fake_cloud) -> str:
    return make_image(fake_cloud, visibility="public")


@pytest.fixture(scope="module")
def admin(fake_cloud) -> ComputeAPI:
    return ComputeAPI(fake_cloud, fake_cloud.admin_token(), "2.1")


def _boot(api: ComputeAPI, image: str, flavor: str = "1", **extra) -> str:
    body = {
        "server": {
            "name": f"s-{uuid.uuid4().hex[:6]}",
            "imageRef": image,
            "flavorRef": flavor,
            **extra,
        }
    }
    resp = api.post("/servers", body)
    assert resp.status_code == 202, resp.text
    return resp.json()["server"]["id"]


def test_cli_lifecycle(fake_cloud, image) -> None:
    server = fake_cloud.cli_json(
        "server",
        "create",
        "--image",
        image,
        "--flavor",
        "m1.tiny",
        "--nic",
        "none",
        "--wait",
        "cli-server",
    )
    assert server["status"] == "ACTIVE" and server["OS-EXT-AZ:availability_zone"] == "nova"
    log = fake_cloud.cli("console", "log", "show", "cli-server").stdout
    assert "FAKE CONSOLE OUTPUT" in log
    fake_cloud.cli("server", "stop", "cli-server")
    names = {s["Name"]: s["Status"] for s in fake_cloud.cli_json("server", "list")}
    assert names["cli-server"] in ("ACTIVE", "SHUTOFF")
    fake_cloud.cli("server", "delete", "--wait", "cli-server")
    assert "cli-server" not in {s["Name"] for s in fake_cloud.cli_json("server", "list")}


def test_sdk_lifecycle(fake_cloud, image) -> None:
    conn = fake_cloud.connect()
    server = conn.compute.create_server(
        name="sdk-server", image_id=image, flavor_id="1", networks="none", metadata={"a": "b"}
    )
    server = conn.compute.wait_for_server(server, wait=30, interval=0.2)
    assert server.status == "ACTIVE" and server.metadata == {"a": "b"}
    conn.compute.stop_server(server)
    conn.compute.wait_for_server(server, status="SHUTOFF", wait=30, interval=0.2)
    conn.compute.start_server(server)
    conn.compute.wait_for_server(server, status="ACTIVE", wait=30, interval=0.2)
    conn.compute.delete_server(server)
    conn.compute.wait_for_delete(server, wait=30, interval=0.2)


def test_novaclient_lifecycle(fake_cloud, image) -> None:
    nova = nova_client.Client("2.96", session=fake_cloud.admin_session())
    server = nova.servers.create("nova-server", image, "1", nics="none")
    wait_status(ComputeAPI(fake_cloud, fake_cloud.admin_token()), server.id, "ACTIVE")
    assert server.id in [s.id for s in nova.servers.list()]
    nova.servers.pause(server)
    nova.servers.delete(server)


def test_actions_move_states_and_wrong_state_is_409(admin, image) -> None:
    server_id = _boot(admin, image)
    wait_status(admin, server_id, "ACTIVE")
    resp = admin.post(f"/servers/{server_id}/action", {"os-start": None})
    assert error(resp, 409) == f"Cannot 'start' instance {server_id} while it is in vm_state active"
    for action, status in (
        ("os-stop", "SHUTOFF"),
        ("os-start", "ACTIVE"),
        ("pause", "PAUSED"),
        ("unpause", "ACTIVE"),
        ("suspend", "SUSPENDED"),
        ("resume", "ACTIVE"),
    ):
        assert admin.post(f"/servers/{server_id}/action", {action: None}).status_code == 202
        assert wait_status(admin, server_id, status)["OS-EXT-STS:power_state"] in (1, 3, 4, 7)
    resp = admin.post(f"/servers/{server_id}/action", {"reboot": {"type": "HARD"}})
    assert resp.status_code == 202
    wait_status(admin, server_id, "ACTIVE")
    resp = admin.post(f"/servers/{server_id}/action", {"os-getConsoleOutput": {"length": 1}})
    assert resp.json() == {"output": "LAST LINE"}
    assert error(admin.post(f"/servers/{server_id}/action", {"bogus": None}), 400) == (
        "There is no such action: bogus"
    )
    assert admin.delete(f"/servers/{server_id}").status_code == 204


def test_locked_server_refuses_its_member(fake_cloud, image) -> None:
    member = fake_cloud.new_project_user("member")
    api = ComputeAPI(fake_cloud, member.token(), "2.73")
    server_id = _boot(api, image, networks="none")
    wait_status(api, server_id, "ACTIVE")
    assert (
        api.post(f"/servers/{server_id}/action", {"lock": {"locked_reason": "r"}}).status_code
        == 202
    )
    shown = api.get(f"/servers/{server_id}").json()["server"]
    assert shown["locked"] is True and shown["locked_reason"] == "r"
    assert error(api.post(f"/servers/{server_id}/action", {"os-stop": None}), 409) == (
        f"Instance {server_id} is locked"
    )
    assert error(api.delete(f"/servers/{server_id}"), 409)
    api.post(f"/servers/{server_id}/action", {"unlock": None})
    assert api.delete(f"/servers/{server_id}").status_code == 204


def test_bad_create_inputs_leave_nothing(admin, image) -> None:
    before = len(admin.get("/servers").json()["servers"])
    body = {"name": "bad", "imageRef": str(uuid.uuid4()), "flavorRef": "1"}
    assert error(admin.post("/servers", {"server": body}), 400) == "Can not find requested image"
    body = {"name": "bad", "imageRef": image, "flavorRef": "nope"}
    assert error(admin.post("/servers", {"server": body}), 400) == "Flavor nope could not be found."
    body = {"name": "bad", "imageRef": image, "flavorRef": "1", "key_name": "missing"}
    assert error(admin.post("/servers", {"server": body}), 400) == "Invalid key_name provided."
    body = {"name": "bad", "imageRef": image, "flavorRef": "1", "min_count": 3, "max_count": 2}
    assert error(admin.post("/servers", {"server": body}), 400) == "min_count must be <= max_count"
    assert "'flavorRef' is a required property" in error(
        admin.post("/servers", {"server": {"name": "x", "imageRef": image}}), 400
    )
    resp = admin.at("2.37").post(
        "/servers", {"server": {"name": "x", "imageRef": image, "flavorRef": "1"}}
    )
    assert "'networks' is a required property" in error(resp, 400)
    assert len(admin.get("/servers").json()["servers"]) == before


def test_flavor_smaller_than_image_is_400(fake_cloud, admin) -> None:
    big = make_image(fake_cloud, min_ram=1024)
    body = {"name": "x", "imageRef": big, "flavorRef": "1"}
    assert error(admin.post("/servers", {"server": body}), 400) == (
        "Flavor's memory is too small for requested image."
    )


def test_instance_quota_is_403_in_novas_words(fake_cloud, admin, image) -> None:
    member = fake_cloud.new_project_user("member")
    admin.put(f"/os-quota-sets/{member.project_id}", {"quota_set": {"instances": 1}})
    api = ComputeAPI(fake_cloud, member.token())
    first = _boot(api, image)
    resp = api.post("/servers", {"server": {"name": "two", "imageRef": image, "flavorRef": "1"}})
    assert error(resp, 403) == (
        "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"
    )
    api.delete(f"/servers/{first}")


def test_other_projects_server_is_404(fake_cloud, admin, image) -> None:
    server_id = _boot(admin, image)
    other = ComputeAPI(fake_cloud, fake_cloud.new_project_user("member").token())
    assert error(other.get(f"/servers/{server_id}"), 404) == (
        f"Instance {server_id} could not be found."
    )
    assert error(other.delete(f"/servers/{server_id}"), 404)
    reader = fake_cloud.new_project_user("reader")
    resp = ComputeAPI(fake_cloud, reader.token()).post(
        "/servers", {"server": {"name": "r", "imageRef": image, "flavorRef": "1"}}
    )
    assert error(resp, 403) == "Policy doesn't allow os_compute_api:servers:create to be performed."
    admin.delete(f"/servers/{server_id}")


def test_no_valid_host_is_error_with_fault(admin, image) -> None:
    server_id = _boot(admin, image, flavor="4")  # 8 GB on 4 GB hosts
    server = wait_status(admin, server_id, "ERROR")
    assert server["fault"]["code"] == 500
    assert server["fault"]["message"].startswith("No valid host was found.")
    admin.delete(f"/servers/{server_id}")


def test_concurrent_boots_never_oversubscribe(fake_cloud, image) -> None:
    member = fake_cloud.new_project_user("member")
    admin = ComputeAPI(fake_cloud, fake_cloud.admin_token())
    admin.put(
        f"/os-quota-sets/{member.project_id}",
        {"quota_set": {"instances": 40, "cores": 100, "ram": 100000}},
    )
    api = ComputeAPI(fake_cloud, member.token())
    flavor = "3"  # 4 GB: one per 4 GB host, three hosts
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda _: _boot(api, image, flavor), range(8)))
    final = [wait_status(api, i, "ACTIVE", "ERROR") for i in ids]
    active = [s for s in final if s["status"] == "ACTIVE"]
    hosts = admin.get("/servers/detail?all_tenants=1").json()["servers"]
    placed = [s["OS-EXT-SRV-ATTR:host"] for s in hosts if s["id"] in {a["id"] for a in active}]
    assert len(placed) == len(set(placed)) <= 3
    for server_id in ids:
        api.delete(f"/servers/{server_id}")


def test_anti_affinity_group_lands_on_different_hosts(fake_cloud, image) -> None:
    admin = ComputeAPI(fake_cloud, fake_cloud.admin_token(), "2.64")
    group = admin.post(
        "/os-server-groups", {"server_group": {"name": "g", "policy": "anti-affinity"}}
    )
    group_id = group.json()["server_group"]["id"]
    hints = {"group": group_id}
    ids = []
    for _ in range(2):
        body = {
            "server": {"name": "ga", "imageRef": image, "flavorRef": "1", "networks": "none"},
            "os:scheduler_hints": hints,
        }
        ids.append(admin.post("/servers", body).json()["server"]["id"])
    hosts = {wait_status(admin, i, "ACTIVE")["OS-EXT-SRV-ATTR:host"] for i in ids}
    assert len(hosts) == 2
    shown = admin.get(f"/os-server-groups/{group_id}").json()["server_group"]
    assert sorted(shown["members"]) == sorted(ids) and shown["policy"] == "anti-affinity"
    for server_id in ids:
        admin.delete(f"/servers/{server_id}")


def test_multi_create_with_reservation_id(admin, image) -> None:
    resp = admin.post(
        "/servers",
        {
            "server": {
                "name": "multi",
                "imageRef": image,
                "flavorRef": "1",
                "min_count": 2,
                "max_count": 2,
                "return_reservation_id": True,
            }
        },
    )
    reservation = resp.json()["reservation_id"]
    assert reservation.startswith("r-")
    found = admin.get(f"/servers?reservation_id={reservation}").json()["servers"]
    assert sorted(s["name"] for s in found) == ["multi-1", "multi-2"]
    for server in found:
        admin.delete(f"/servers/{server['id']}")


def test_list_filters_sort_and_paging(admin, image) -> None:
    ids = [_boot(admin, image, name=f"page-{i}") for i in range(3)]
    page = admin.get("/servers?name=^page-&limit=2").json()
    assert len(page["servers"]) == 2 and "servers_links" in page
    names = [
        s["name"]
        for s in admin.get("/servers?name=^page-&sort_key=display_name&sort_dir=asc").json()[
            "servers"
        ]
    ]
    assert names == ["page-0", "page-1", "page-2"]
    assert error(admin.get("/servers?marker=nope"), 400) == "marker [nope] not found"
    assert error(admin.at("2.75").get("/servers?bogus=1"), 400)
    assert error(admin.at("2.38").get("/servers?status=bogus"), 400)
    for server_id in ids:
        admin.delete(f"/servers/{server_id}")


def test_rebuild_and_resize_confirm_revert(fake_cloud, admin, image) -> None:
    api = admin.at("2.75")
    server_id = _boot(api, image, networks="none")
    wait_status(api, server_id, "ACTIVE")
    other = make_image(fake_cloud)
    resp = api.post(f"/servers/{server_id}/action", {"rebuild": {"imageRef": other, "name": "re"}})
    assert resp.status_code == 202 and resp.json()["server"]["name"] == "re"
    assert "adminPass" in resp.json()["server"]
    assert wait_status(api, server_id, "ACTIVE")["image"]["id"] == other
    resp = api.post(f"/servers/{server_id}/action", {"resize": {"flavorRef": "1"}})
    assert error(resp, 400) == "When resizing, instances must change flavor!"
    assert (
        api.post(f"/servers/{server_id}/action", {"resize": {"flavorRef": "2"}}).status_code == 202
    )
    server = wait_status(api, server_id, "VERIFY_RESIZE")
    assert server["flavor"]["original_name"] == "m1.small"
    assert api.post(f"/servers/{server_id}/action", {"revertResize": None}).status_code == 202
    assert wait_status(api, server_id, "ACTIVE")["flavor"]["original_name"] == "m1.tiny"
    api.post(f"/servers/{server_id}/action", {"resize": {"flavorRef": "2"}})
    wait_status(api, server_id, "VERIFY_RESIZE")
    assert api.post(f"/servers/{server_id}/action", {"confirmResize": None}).status_code == 204
    assert wait_status(api, server_id, "ACTIVE")["flavor"]["original_name"] == "m1.small"
    error(api.post(f"/servers/{server_id}/action", {"confirmResize": None}), 409)
    api.delete(f"/servers/{server_id}")
