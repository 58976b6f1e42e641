"""The compute policy by persona: admin, member, reader of the project, member of another."""

from __future__ import annotations

import pytest

from tests.functional.compute.conftest import FAKE, ComputeAPI, make_image, wait_status

PERSONAS = ["admin", "member", "reader", "other"]


@pytest.fixture(scope="module")
def world(cloud_factory) -> dict:
    """A fake-driver cloud, a project with a member and a reader, another project, a server."""
    cloud = cloud_factory(config=FAKE)
    member = cloud.new_project_user("member")
    reader = cloud.new_project_user("reader")
    admin = cloud.connect()
    admin.identity.assign_project_role_to_user(
        member.project_id, reader.user_id, admin.identity.find_role("reader")
    )
    apis = {
        "admin": ComputeAPI(cloud, cloud.admin_token()),
        "member": ComputeAPI(cloud, member.token()),
        "reader": ComputeAPI(
            cloud, cloud.token(reader.user_name, reader.password, member.project_name)
        ),
        "other": ComputeAPI(cloud, cloud.new_project_user("member").token()),
    }
    image = make_image(cloud, visibility="public")
    body = {"server": {"name": "owned", "imageRef": image, "flavorRef": "1"}}
    server = apis["member"].post("/servers", body).json()["server"]["id"]
    wait_status(apis["member"], server, "ACTIVE")
    return {**apis, "server": server, "image": image, "project": member.project_id}


CASES = {
    "show server": (
        lambda w: ("GET", f"/servers/{w['server']}", None),
        dict(admin=200, member=200, reader=200, other=404),
    ),
    "console output": (
        lambda w: ("POST", f"/servers/{w['server']}/action", {"os-getConsoleOutput": {}}),
        dict(admin=200, member=200, reader=403, other=404),
    ),
    "update server": (
        lambda w: ("PUT", f"/servers/{w['server']}", {"server": {"name": "n"}}),
        dict(admin=200, member=200, reader=403, other=404),
    ),
    "create server": (
        lambda w: (
            "POST",
            "/servers",
            {"server": {"name": "p", "imageRef": w["image"], "flavorRef": "1", "min_count": 1}},
        ),
        dict(admin=202, member=202, reader=403, other=202),
    ),
    "flavor create": (
        lambda w: ("POST", "/flavors", {"flavor": {"name": "x", "ram": 1, "vcpus": 1, "disk": 0}}),
        dict(admin=200, member=403, reader=403, other=403),
    ),
    "quota update": (
        lambda w: ("PUT", f"/os-quota-sets/{w['project']}", {"quota_set": {"instances": 20}}),
        dict(admin=200, member=403, reader=403, other=403),
    ),
    "quota show": (
        lambda w: ("GET", f"/os-quota-sets/{w['project']}", None),
        dict(admin=200, member=200, reader=200, other=403),
    ),
    "services": (
        lambda w: ("GET", "/os-services", None),
        dict(admin=200, member=403, reader=403, other=403),
    ),
    "hypervisors": (
        lambda w: ("GET", "/os-hypervisors", None),
        dict(admin=200, member=403, reader=403, other=403),
    ),
    "limits": (
        lambda w: ("GET", "/limits", None),
        dict(admin=200, member=200, reader=200, other=200),
    ),
    "keypairs": (
        lambda w: ("GET", "/os-keypairs", None),
        dict(admin=200, member=200, reader=200, other=200),
    ),
    "all tenants": (
        lambda w: ("GET", "/servers?all_tenants=1", None),
        dict(admin=200, member=403, reader=403, other=403),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_compute_policy_by_persona(world, case: str, persona: str) -> None:
    request, expected = CASES[case]
    method, path, body = request(world)
    if case == "flavor create" and persona == "admin":
        body = {"flavor": {**body["flavor"], "name": f"x-{persona}-{id(world)}"}}
    resp = world[persona].http.request(method, path, json=body)
    assert resp.status_code == expected[persona], resp.text
    if resp.status_code == 202 and case == "create server":
        world[persona].delete(f"/servers/{resp.json()['server']['id']}")
