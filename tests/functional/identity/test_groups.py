"""Groups and membership with openstacksdk and the `openstack` CLI."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_cli_group_add_user_and_check(cloud):
    group, user = _name("g"), _name("u")
    cloud.cli("group", "create", group)
    cloud.cli("user", "create", user)
    cloud.cli("group", "add", "user", group, user)
    out = cloud.cli("group", "contains", "user", group, user).stdout
    assert f"{user} in group {group}" in out
    members = cloud.cli_json("user", "list", "--group", group)
    assert [m["Name"] for m in members] == [user]
    cloud.cli("group", "remove", "user", group, user)
    out = cloud.cli("group", "contains", "user", group, user, check=False)
    assert "not in group" in out.stdout + out.stderr
    cloud.cli("group", "delete", group)


def test_membership_endpoints_and_user_groups(admin):
    group = admin.identity.create_group(name=_name("g"))
    user = admin.identity.create_user(name=_name("u"))
    path = f"/groups/{group.id}/users/{user.id}"
    assert admin.identity.head(path, raise_exc=False).status_code == 404
    assert admin.identity.put(path).status_code == 204
    assert admin.identity.head(path).status_code == 204
    listed = admin.identity.get(f"/users/{user.id}/groups").json()["groups"]
    assert [g["id"] for g in listed] == [group.id]
    assert admin.identity.delete(path).status_code == 204
    assert admin.identity.delete(path, raise_exc=False).status_code == 404


def test_group_role_reaches_members_and_removal_revokes(cloud, admin):
    holder = cloud.new_project_user("reader")
    group = admin.identity.create_group(name=_name("g"))
    admin.identity.add_user_to_group(holder.user_id, group)
    admin.identity.assign_project_role_to_group(
        holder.project_id, group, admin.identity.find_role("member")
    )
    token = holder.token()
    headers = {"X-Auth-Token": cloud.admin_token(), "X-Subject-Token": token}
    body = httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).json()
    assert "member" in {r["name"] for r in body["token"]["roles"]}
    admin.identity.remove_user_from_group(holder.user_id, group)
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 404


def test_duplicate_group_is_409_and_unknown_ids_404(admin):
    name = _name("g")
    admin.identity.create_group(name=name)
    resp = admin.identity.post("/groups", json={"group": {"name": name}}, raise_exc=False)
    assert resp.status_code == 409
    assert admin.identity.get("/groups/nope", raise_exc=False).status_code == 404
    group = admin.identity.find_group(name)
    resp = admin.identity.put(f"/groups/{group.id}/users/nope", raise_exc=False)
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == "Could not find user: nope."


def test_missing_group_name_is_400(admin):
    resp = admin.identity.post("/groups", json={"group": {"description": "x"}}, raise_exc=False)
    assert resp.status_code == 400 and "name" in resp.json()["error"]["message"]


def test_member_cannot_manage_groups(cloud, admin):
    user = cloud.new_project_user("member")
    group = admin.identity.create_group(name=_name("g"))
    headers = {"X-Auth-Token": user.token()}
    url = f"{cloud.auth_url}/groups"
    assert httpx.post(url, json={"group": {"name": "x"}}, headers=headers).status_code == 403
    put = httpx.put(f"{url}/{group.id}/users/{user.user_id}", headers=headers)
    assert put.status_code == 403
    assert (
        admin.identity.head(f"/groups/{group.id}/users/{user.user_id}", raise_exc=False).status_code
        == 404
    )


def test_concurrent_membership_puts_all_succeed(cloud, admin):
    group = admin.identity.create_group(name=_name("g"))
    user = admin.identity.create_user(name=_name("u"))
    headers = {"X-Auth-Token": cloud.admin_token()}

    async def race() -> list[int]:
        async with httpx.AsyncClient(base_url=cloud.auth_url, timeout=60) as client:
            path = f"/groups/{group.id}/users/{user.id}"
            calls = [client.put(path, headers=headers) for _ in range(12)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    assert asyncio.run(race()) == [204] * 12
    assert len(admin.identity.get(f"/groups/{group.id}/users").json()["users"]) == 1
