"""Flavors through the CLI, openstacksdk and novaclient; bad input in Nova's words."""

from __future__ import annotations

import uuid

import pytest
from novaclient import client as nova_client

from tests.functional.compute.conftest import ComputeAPI, error


def test_default_flavors_exist(cloud) -> None:
    flavors = {f["Name"]: f for f in cloud.cli_json("flavor", "list")}
    assert {n: (f["ID"], f["RAM"], f["VCPUs"], f["Disk"]) for n, f in flavors.items()}.items() >= {
        "m1.tiny": ("1", 512, 1, 1),
        "m1.small": ("2", 2048, 1, 20),
        "m1.medium": ("3", 4096, 2, 40),
        "m1.large": ("4", 8192, 4, 80),
        "m1.xlarge": ("5", 16384, 8, 160),
    }.items()


def test_cli_create_show_properties_delete(cloud) -> None:
    name = f"f-{uuid.uuid4().hex[:6]}"
    made = cloud.cli_json(
        "flavor",
        "create",
        "--ram",
        "256",
        "--vcpus",
        "2",
        "--disk",
        "3",
        "--property",
        "hw:cpu_policy=shared",
        name,
    )
    assert (made["ram"], made["vcpus"], made["disk"]) == (256, 2, 3)
    shown = cloud.cli_json("flavor", "show", name)
    assert shown["properties"] == {"hw:cpu_policy": "shared"}
    cloud.cli("flavor", "unset", "--property", "hw:cpu_policy", name)
    assert cloud.cli_json("flavor", "show", name)["properties"] == {}
    cloud.cli("flavor", "delete", name)
    assert cloud.cli("flavor", "show", name, check=False).returncode != 0


def test_private_flavor_visible_only_with_access(cloud, compute) -> None:
    member = cloud.new_project_user("member")
    user = ComputeAPI(cloud, member.token())
    resp = compute.post(
        "/flavors",
        {
            "flavor": {
                "name": f"p-{uuid.uuid4().hex[:6]}",
                "ram": 64,
                "vcpus": 1,
                "disk": 0,
                "os-flavor-access:is_public": False,
            }
        },
    )
    assert resp.status_code == 200, resp.text
    flavor_id = resp.json()["flavor"]["id"]
    assert (
        error(user.get(f"/flavors/{flavor_id}"), 404) == f"Flavor {flavor_id} could not be found."
    )
    resp = compute.post(
        f"/flavors/{flavor_id}/action", {"addTenantAccess": {"tenant": member.project_id}}
    )
    assert resp.json() == {
        "flavor_access": [{"flavor_id": flavor_id, "tenant_id": member.project_id}]
    }
    assert user.get(f"/flavors/{flavor_id}").status_code == 200
    assert flavor_id in [f["id"] for f in user.get("/flavors").json()["flavors"]]
    again = compute.post(
        f"/flavors/{flavor_id}/action", {"addTenantAccess": {"tenant": member.project_id}}
    )
    error(again, 409)
    resp = compute.post(
        f"/flavors/{flavor_id}/action", {"removeTenantAccess": {"tenant": member.project_id}}
    )
    assert resp.json() == {"flavor_access": []}
    error(compute.get("/flavors/1/os-flavor-access"), 404)


def test_sdk_flavors(cloud) -> None:
    conn = cloud.connect()
    flavor = conn.compute.create_flavor(name=f"s-{uuid.uuid4().hex[:6]}", ram=128, vcpus=1, disk=1)
    assert conn.compute.get_flavor(flavor.id).ram == 128
    assert flavor.id in [f.id for f in conn.compute.flavors()]
    conn.compute.delete_flavor(flavor)


def test_novaclient_flavors(cloud) -> None:
    nova = nova_client.Client("2.1", session=cloud.admin_session())
    assert {f.name for f in nova.flavors.list()} >= {"m1.tiny", "m1.xlarge"}
    flavor = nova.flavors.create(f"n-{uuid.uuid4().hex[:6]}", 128, 1, 1)
    flavor.set_keys({"a": "b"})
    assert nova.flavors.get(flavor.id).get_keys() == {"a": "b"}
    nova.flavors.delete(flavor.id)


def test_paging_with_limit_and_marker(compute) -> None:
    first = compute.get("/flavors?limit=2").json()
    assert [f["id"] for f in first["flavors"]] == ["1", "2"]
    assert "marker=2" in first["flavors_links"][0]["href"]
    second = compute.get("/flavors?limit=2&marker=2").json()
    assert [f["id"] for f in second["flavors"]] == ["3", "4"]
    assert error(compute.get("/flavors?marker=nope"), 400) == "marker [nope] not found"


def test_duplicate_name_or_id_is_409(compute) -> None:
    body = {"flavor": {"name": "m1.tiny", "ram": 1, "vcpus": 1, "disk": 0}}
    assert error(compute.post("/flavors", body), 409) == "Flavor with name m1.tiny already exists."
    body = {
        "flavor": {"name": f"x-{uuid.uuid4().hex[:6]}", "id": "1", "ram": 1, "vcpus": 1, "disk": 0}
    }
    assert error(compute.post("/flavors", body), 409) == "Flavor with ID 1 already exists."


@pytest.mark.parametrize(
    ("flavor", "message"),
    [
        ({"ram": 1, "vcpus": 1, "disk": 0}, "'name' is a required property"),
        (
            {"name": "a", "ram": 0, "vcpus": 1, "disk": 0},
            "Invalid input for field/attribute ram. Value: 0.",
        ),
        (
            {"name": "a", "ram": 1, "vcpus": "x", "disk": 0},
            "Invalid input for field/attribute vcpus. Value: x.",
        ),
        (
            {"name": "a", "ram": 1, "vcpus": 1, "disk": 0, "bogus": 1},
            "Additional properties are not allowed",
        ),
    ],
)
def test_bad_flavor_bodies_are_400(compute, flavor, message) -> None:
    assert message in error(compute.post("/flavors", {"flavor": flavor}), 400)


def test_flavor_manage_is_admin_only(cloud) -> None:
    member = ComputeAPI(cloud, cloud.new_project_user("member").token())
    resp = member.post("/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0}})
    assert (
        error(resp, 403)
        == "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed."
    )
    assert error(member.delete("/flavors/1"), 403)
    assert member.get("/flavors/1/os-extra_specs").status_code == 200


def test_flavor_fields_by_microversion(compute) -> None:
    old = compute.get("/flavors/1").json()["flavor"]
    assert old["swap"] == "" and old["rxtx_factor"] == 1.0 and "description" not in old
    assert "extra_specs" not in old
    mid = compute.at("2.75").get("/flavors/1").json()["flavor"]
    assert mid["swap"] == 0 and mid["description"] is None and mid["extra_specs"] == {}
    new = compute.at("2.102").get("/flavors/1").json()["flavor"]
    assert "rxtx_factor" not in new and "OS-FLV-DISABLED:disabled" not in new
    names = compute.at("2.102").get("/flavors?name=m1.small").json()["flavors"]
    assert [f["id"] for f in names] == ["2"]
    assert "'bogus' was unexpected" in error(compute.at("2.75").get("/flavors?bogus=1"), 400)


def test_flavor_description_update_at_2_55(compute) -> None:
    api = compute.at("2.55")
    made = api.post(
        "/flavors",
        {
            "flavor": {
                "name": f"d-{uuid.uuid4().hex[:6]}",
                "ram": 1,
                "vcpus": 1,
                "disk": 0,
                "description": "one",
            }
        },
    )
    flavor_id = made.json()["flavor"]["id"]
    resp = api.put(f"/flavors/{flavor_id}", {"flavor": {"description": "two"}})
    assert resp.json()["flavor"]["description"] == "two"
    error(compute.put(f"/flavors/{flavor_id}", {"flavor": {"description": "x"}}), 404)
