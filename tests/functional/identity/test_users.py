"""Users with openstacksdk and the `openstack` CLI: passwords, extra attributes, revocation."""

from __future__ import annotations

import uuid

import httpx
import pytest


def _name() -> str:
    return f"u-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_cli_user_create_login_and_delete(cloud):
    project, name, password = f"p-{uuid.uuid4().hex[:8]}", _name(), uuid.uuid4().hex
    cloud.cli("project", "create", project)
    user = cloud.cli_json(
        "user", "create", "--password", password, "--email", "a@example.org", name
    )
    assert user["name"] == name and user["email"] == "a@example.org"
    assert "password" not in user
    cloud.cli("role", "add", "--user", name, "--project", project, "member")
    env = cloud.env | {"OS_USERNAME": name, "OS_PASSWORD": password, "OS_PROJECT_NAME": project}
    token = cloud.cli_json("token", "issue", env=env)
    assert token["user_id"] == user["id"]
    cloud.cli("user", "delete", name)
    assert cloud.cli("token", "issue", env=env, check=False).returncode != 0


def test_extra_attributes_are_kept_and_updated(admin):
    user = admin.identity.create_user(name=_name(), email="x@example.org", password="pw")
    resp = admin.identity.patch(f"/users/{user.id}", json={"user": {"team": "blue"}})
    shown = resp.json()["user"]
    assert shown["email"] == "x@example.org" and shown["team"] == "blue"
    assert "password" not in shown and "password_hash" not in shown


def test_own_password_change_revokes_old_tokens(cloud):
    user = cloud.new_project_user("member")
    old_token = user.token()
    url = f"{cloud.auth_url}/users/{user.user_id}/password"
    headers = {"X-Auth-Token": old_token}
    wrong = {"user": {"original_password": "wrong", "password": "new-pass"}}
    assert httpx.post(url, json=wrong, headers=headers).status_code == 401
    body = {"user": {"original_password": user.password, "password": "new-pass"}}
    assert httpx.post(url, json=body, headers=headers).status_code == 204
    check = httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers)
    assert check.status_code == 401
    assert cloud.token(user.user_name, "new-pass", user.project_name)
    with pytest.raises(httpx.HTTPStatusError):
        cloud.token(user.user_name, user.password, user.project_name)


def test_cli_user_password_set(cloud):
    user = cloud.new_project_user("member")
    env = cloud.env | {
        "OS_USERNAME": user.user_name,
        "OS_PASSWORD": user.password,
        "OS_PROJECT_NAME": user.project_name,
    }
    cloud.cli(
        "user",
        "password",
        "set",
        "--original-password",
        user.password,
        "--password",
        "changed-1",
        env=env,
    )
    assert cloud.token(user.user_name, "changed-1", user.project_name)


def test_disabling_a_user_revokes_its_tokens_and_blocks_login(cloud, admin):
    user = cloud.new_project_user("member")
    headers = {"X-Auth-Token": user.token()}
    admin.identity.update_user(user.user_id, is_enabled=False)
    assert httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers).status_code == 401
    with pytest.raises(httpx.HTTPStatusError):
        user.token()


def test_duplicate_user_is_409(admin):
    name = _name()
    admin.identity.create_user(name=name)
    resp = admin.identity.post("/users", json={"user": {"name": name}}, raise_exc=False)
    assert resp.status_code == 409
    assert resp.json()["error"]["message"].startswith(
        "Conflict occurred attempting to store user - Duplicate entry"
    )
    assert len(list(admin.identity.users(name=name))) == 1


def test_invalid_user_bodies_are_400(admin):
    for body in ({"user": {}}, {"user": {"name": 5}}, {"user": {"name": "x", "password": 1}}):
        resp = admin.identity.post("/users", json=body, raise_exc=False)
        assert resp.status_code == 400 and "user" in resp.json()["error"]["message"]


def test_unknown_user_is_404(admin):
    resp = admin.identity.get("/users/nope", raise_exc=False)
    assert resp.status_code == 404
    assert resp.json()["error"]["message"] == "Could not find user: nope."
    assert admin.identity.delete("/users/nope", raise_exc=False).status_code == 404


def test_member_cannot_manage_users_but_can_see_itself(cloud):
    user = cloud.new_project_user("member")
    headers = {"X-Auth-Token": user.token()}
    url = f"{cloud.auth_url}/users"
    created = httpx.post(url, json={"user": {"name": _name()}}, headers=headers)
    assert created.status_code == 403
    assert httpx.get(url, headers=headers).status_code == 403
    assert httpx.get(f"{url}/{user.user_id}", headers=headers).status_code == 200
    assert httpx.delete(f"{url}/{user.user_id}", headers=headers).status_code == 403


def test_user_list_filters(admin):
    name = _name()
    admin.identity.create_user(name=name, is_enabled=False)
    assert [u.name for u in admin.identity.users(name=name)] == [name]
    disabled = {u.name for u in admin.identity.users(is_enabled=False)}
    assert name in disabled
    assert name not in {u.name for u in admin.identity.users(is_enabled=True)}


def test_list_limit_truncates_lists_and_says_so(cloud_factory):
    small = cloud_factory(config={"identity": {"list_limit": "2"}})
    admin = small.connect()
    for _ in range(3):
        admin.identity.create_user(name=_name())
    body = admin.identity.get("/users").json()
    assert len(body["users"]) == 2 and body["truncated"] is True
    assert body["links"]["next"] is None
