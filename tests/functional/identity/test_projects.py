"""Projects with openstacksdk and the `openstack` CLI: hierarchy, tags, filters, bad input."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest


def _name(prefix: str = "p") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_cli_project_create_show_set_and_delete(cloud):
    name = _name()
    created = cloud.cli_json("project", "create", name, "--description", "first")
    assert created["name"] == name and created["domain_id"] == "default"
    assert created["parent_id"] == "default" and created["enabled"] is True
    cloud.cli("project", "set", "--disable", "--description", "second", name)
    shown = cloud.cli_json("project", "show", name)
    assert shown["enabled"] is False and shown["description"] == "second"
    cloud.cli("project", "delete", name)
    assert cloud.cli("project", "show", name, check=False).returncode != 0


def test_child_projects_and_parent_filter(admin):
    parent = admin.identity.create_project(name=_name(), domain_id="default")
    child = admin.identity.create_project(name=_name(), parent_id=parent.id)
    assert child.domain_id == "default" and child.parent_id == parent.id
    listed = list(admin.identity.projects(parent_id=parent.id))
    assert [p.id for p in listed] == [child.id]
    resp = admin.identity.get(f"/projects/{child.id}?parents_as_list", raise_exc=False)
    assert [p["project"]["id"] for p in resp.json()["project"]["parents"]] == [parent.id]
    busy = admin.identity.delete(f"/projects/{parent.id}", raise_exc=False)
    assert busy.status_code == 403
    admin.identity.delete_project(child)
    admin.identity.delete_project(parent)


def test_tags_and_tag_filters(admin):
    a = admin.identity.create_project(name=_name(), tags=["red", "blue"])
    b = admin.identity.create_project(name=_name(), tags=["red"])
    names = {a.name, b.name}

    def listed(**query):
        return {p.name for p in admin.identity.projects(**query)} & names

    assert listed(tags="red,blue") == {a.name}
    assert listed(any_tags="blue,green") == {a.name}
    assert listed(not_tags="red,blue") == {b.name}
    assert listed(not_any_tags="blue") == {b.name}
    assert admin.identity.put(f"/projects/{b.id}/tags/green", raise_exc=False).status_code == 201
    assert admin.identity.head(f"/projects/{b.id}/tags/green", raise_exc=False).status_code == 204
    resp = admin.identity.get(f"/projects/{b.id}/tags")
    assert resp.json()["tags"] == ["red", "green"]
    resp = admin.identity.put(f"/projects/{b.id}/tags", json={"tags": ["x"]})
    assert resp.json()["tags"] == ["x"]
    assert admin.identity.delete(f"/projects/{b.id}/tags/red", raise_exc=False).status_code == 404
    assert admin.identity.delete(f"/projects/{b.id}/tags", raise_exc=False).status_code == 204
    assert admin.identity.get_project(b).tags == []


def test_cli_project_tags(cloud):
    name = _name()
    cloud.cli("project", "create", name, "--tag", "alpha", "--tag", "beta")
    listed = cloud.cli_json("project", "list", "--tags", "alpha,beta")
    assert name in [p["Name"] for p in listed]
    cloud.cli("project", "delete", name)


def test_duplicate_name_in_a_domain_is_409_and_changes_nothing(admin):
    name = _name()
    admin.identity.create_project(name=name)
    resp = admin.identity.post("/projects", json={"project": {"name": name}}, raise_exc=False)
    assert resp.status_code == 409
    error = resp.json()["error"]
    assert error["code"] == 409 and "Duplicate entry" in error["message"]
    assert len(list(admin.identity.projects(name=name))) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"project": {}}, "'name' is a required property"),
        ({"project": {"name": ""}}, "project.name"),
        ({"project": {"name": "x", "enabled": "yes"}}, "project.enabled"),
        ({"project": {"name": "x", "tags": ["a/b"]}}, "project.tags"),
        ({"projects": {"name": "x"}}, "project"),
    ],
)
def test_invalid_project_bodies_are_400_naming_the_field(admin, body, field):
    resp = admin.identity.post("/projects", json=body, raise_exc=False)
    assert resp.status_code == 400
    assert field in resp.json()["error"]["message"]


def test_malformed_json_is_400(admin):
    resp = admin.identity.post(
        "/projects",
        data=b'{"project": {',
        headers={"Content-Type": "application/json"},
        raise_exc=False,
    )
    assert resp.status_code == 400 and resp.json()["error"]["title"] == "Bad Request"


def test_unknown_project_is_404_with_keystones_message(admin):
    for method in ("get", "patch", "delete"):
        kwargs = {"json": {"project": {"name": "x"}}} if method == "patch" else {}
        resp = getattr(admin.identity, method)("/projects/nope", raise_exc=False, **kwargs)
        assert resp.status_code == 404
        assert resp.json()["error"]["message"] == "Could not find project: nope."


def test_unknown_parent_or_domain_is_404(admin):
    for ref in ({"parent_id": "nope"}, {"domain_id": "nope"}):
        body = {"project": {"name": _name(), **ref}}
        assert admin.identity.post("/projects", json=body, raise_exc=False).status_code == 404


def test_member_cannot_create_update_or_delete_projects(cloud):
    member = cloud.new_project_user("member").connect()
    resp = member.identity.post("/projects", json={"project": {"name": _name()}}, raise_exc=False)
    assert resp.status_code == 403
    own = member.current_project_id
    resp = member.identity.patch(
        f"/projects/{own}", json={"project": {"description": "x"}}, raise_exc=False
    )
    assert resp.status_code == 403
    assert member.identity.delete(f"/projects/{own}", raise_exc=False).status_code == 403
    assert member.identity.get(f"/projects/{own}", raise_exc=False).status_code == 200


def test_disabling_a_project_revokes_its_tokens(cloud, admin):
    user = cloud.new_project_user("member")
    url = f"{cloud.auth_url}/projects/{user.project_id}"
    headers = {"X-Auth-Token": user.token()}
    assert httpx.get(url, headers=headers).status_code == 200
    admin.identity.update_project(user.project_id, enabled=False)
    assert httpx.get(url, headers=headers).status_code == 401


def test_user_projects_lists_projects_with_a_role(cloud, admin):
    user = cloud.new_project_user("reader")
    listed = list(admin.identity.user_projects(user.user_id))
    assert [p.id for p in listed] == [user.project_id]


def test_user_projects_include_group_and_inherited_grants(cloud, admin):
    user = admin.identity.create_user(name=_name("u"))
    group = admin.identity.create_group(name=_name("g"))
    admin.identity.add_user_to_group(user, group)
    via_group = admin.identity.create_project(name=_name())
    admin.identity.assign_project_role_to_group(
        via_group, group, admin.identity.find_role("reader")
    )
    parent = admin.identity.create_project(name=_name())
    child = admin.identity.create_project(name=_name(), parent_id=parent.id)
    reader = admin.identity.find_role("reader")
    path = (
        f"/OS-INHERIT/projects/{parent.id}/users/{user.id}/roles/{reader.id}/inherited_to_projects"
    )
    assert admin.identity.put(path).status_code == 204
    listed = {p.id for p in admin.identity.user_projects(user.id)}
    assert listed == {via_group.id, child.id}


def test_concurrent_duplicates_get_one_201_and_409s_never_5xx(cloud):
    name = _name()
    headers = {"X-Auth-Token": cloud.admin_token()}

    async def race() -> list[int]:
        async with httpx.AsyncClient(base_url=cloud.auth_url, timeout=60) as client:
            body = {"project": {"name": name}}
            calls = [client.post("/projects", json=body, headers=headers) for _ in range(12)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    statuses = asyncio.run(race())
    assert sorted(statuses) == [201] + [409] * 11
