"""Image policy by persona: admin, project member, project reader, another project."""

from __future__ import annotations

import pytest

from .conftest import ImageAPI


@pytest.fixture(scope="module")
def personas(cloud):
    member = cloud.new_project_user("member")
    reader = cloud.new_project_user("reader")
    other = cloud.new_project_user("member")
    return {
        "admin": ImageAPI(cloud, cloud.admin_token()),
        "member": ImageAPI(cloud, member.token()),
        "reader": ImageAPI(cloud, reader.token()),
        "other": ImageAPI(cloud, other.token()),
    }


def _changes(name: str) -> list[dict]:
    return [{"op": "replace", "path": "/name", "value": name}]


def test_reader_can_list_and_show_but_not_create(personas):
    reader = personas["reader"]
    assert reader.http.get("/v2/images").status_code == 200
    assert reader.http.post("/v2/images", json={"name": "nope"}).status_code == 403
    public = personas["admin"].create(name="for-readers", visibility="public")
    assert reader.http.get(f"/v2/images/{public['id']}").status_code == 200
    assert reader.patch(public["id"], _changes("x")).status_code == 403


def test_member_manages_its_own_images_only(personas):
    member, other = personas["member"], personas["other"]
    mine = member.create(name="mine", visibility="private")
    assert member.patch(mine["id"], _changes("still-mine")).status_code == 200
    assert member.upload(mine["id"], b"data").status_code == 204
    assert other.http.get(f"/v2/images/{mine['id']}").status_code == 404
    assert other.patch(mine["id"], _changes("theirs")).status_code == 404
    assert other.http.delete(f"/v2/images/{mine['id']}").status_code == 404
    assert member.http.post(f"/v2/images/{mine['id']}/actions/deactivate").status_code == 204
    assert member.http.get(f"/v2/images/{mine['id']}/file").status_code == 403
    assert personas["admin"].http.get(f"/v2/images/{mine['id']}/file").content == b"data"


def test_member_cannot_create_for_another_project(personas):
    resp = personas["member"].http.post("/v2/images", json={"owner": "someone-else"})
    assert resp.status_code == 403


def test_admin_sees_every_project_private_image(personas):
    private = personas["other"].create(name="hidden-from-others", visibility="private")
    ids = {i["id"] for i in personas["admin"].http.get("/v2/images?limit=1000").json()["images"]}
    assert private["id"] in ids
    member_ids = {
        i["id"] for i in personas["member"].http.get("/v2/images?limit=1000").json()["images"]
    }
    assert private["id"] not in member_ids


def _listed(api: ImageAPI, query: str) -> set[str]:
    resp = api.http.get(f"/v2/images?limit=1000&{query}")
    assert resp.status_code == 200, resp.text
    return {i["id"] for i in resp.json()["images"]}


def test_visibility_filters_as_a_project_member(personas, cloud):
    member, other = personas["member"], personas["other"]
    own_shared = member.create(name="own-shared", visibility="shared")
    theirs = other.create(name="shared-with-member", visibility="shared")
    unshared = other.create(name="shared-with-nobody", visibility="shared")
    community = other.create(name="for-the-community", visibility="community")
    project = member.http.get(f"/v2/images/{own_shared['id']}").json()["owner"]
    added = other.http.post(f"/v2/images/{theirs['id']}/members", json={"member": project})
    assert added.status_code == 200, added.text
    accepted = member.http.put(
        f"/v2/images/{theirs['id']}/members/{project}", json={"status": "accepted"}
    )
    assert accepted.status_code == 200, accepted.text

    shared = _listed(member, "visibility=shared")
    assert {own_shared["id"], theirs["id"]} <= shared
    assert unshared["id"] not in shared and community["id"] not in shared
    assert theirs["id"] not in _listed(member, "visibility=shared&member_status=pending")
    assert theirs["id"] in _listed(member, "visibility=shared&member_status=all")
    assert community["id"] in _listed(member, "visibility=community")
    assert community["id"] not in _listed(member, "")


def test_admin_lists_as_glance_lists_for_an_admin(personas):
    admin, other = personas["admin"], personas["other"]
    community = other.create(name="theirs-for-the-community", visibility="community")
    own_community = admin.create(name="admins-community", visibility="community")
    unshared = other.create(name="theirs-shared-with-nobody", visibility="shared")

    default = _listed(admin, "")
    assert community["id"] not in default and own_community["id"] in default
    assert unshared["id"] in default
    assert community["id"] in _listed(admin, "visibility=community")
    assert community["id"] in _listed(admin, "visibility=all")
    # member_status narrows nothing for an admin
    for status in ("all", "accepted", "pending"):
        assert unshared["id"] in _listed(admin, f"visibility=shared&member_status={status}")
