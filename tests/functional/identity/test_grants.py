"""Role grants on projects, domains and the system; revocation when a grant is removed."""

from __future__ import annotations

import uuid

import httpx
import pytest


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_cli_role_add_then_login_and_remove(cloud):
    project, user, password = f"p-{uuid.uuid4().hex[:8]}", f"u-{uuid.uuid4().hex[:8]}", "pw-1"
    cloud.cli("project", "create", project)
    cloud.cli("user", "create", "--password", password, user)
    env = cloud.env | {"OS_USERNAME": user, "OS_PASSWORD": password, "OS_PROJECT_NAME": project}
    assert cloud.cli("token", "issue", env=env, check=False).returncode != 0
    cloud.cli("role", "add", "--user", user, "--project", project, "reader")
    assert cloud.cli_json("token", "issue", env=env)["project_id"]
    cloud.cli("role", "remove", "--user", user, "--project", project, "reader")
    assert cloud.cli("token", "issue", env=env, check=False).returncode != 0


def test_grant_check_list_and_revoke_on_a_project(cloud, admin):
    holder = cloud.new_project_user("reader")
    member = admin.identity.find_role("member")
    base = f"/projects/{holder.project_id}/users/{holder.user_id}/roles"
    assert admin.identity.head(f"{base}/{member.id}", raise_exc=False).status_code == 404
    assert admin.identity.put(f"{base}/{member.id}").status_code == 204
    assert admin.identity.head(f"{base}/{member.id}").status_code == 204
    names = {r["name"] for r in admin.identity.get(base).json()["roles"]}
    assert names == {"reader", "member"}
    assert admin.identity.validate_user_has_project_role(holder.project_id, holder.user_id, member)
    token = holder.token()
    assert admin.identity.delete(f"{base}/{member.id}").status_code == 204
    headers = {"X-Auth-Token": token}
    assert httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers).status_code == 401
    assert admin.identity.delete(f"{base}/{member.id}", raise_exc=False).status_code == 404


def test_domain_and_system_grants(admin):
    user = admin.identity.create_user(name=f"u-{uuid.uuid4().hex[:8]}")
    reader = admin.identity.find_role("reader")
    admin.identity.assign_domain_role_to_user("default", user, reader)
    assert admin.identity.validate_user_has_domain_role("default", user, reader)
    path = f"/system/users/{user.id}/roles/{reader.id}"
    assert admin.identity.put(path).status_code == 204
    assert admin.identity.head(path).status_code == 204
    listed = admin.identity.get(f"/system/users/{user.id}/roles").json()["roles"]
    assert [r["name"] for r in listed] == ["reader"]
    assert admin.identity.delete(path).status_code == 204


def test_inherited_domain_grant_reaches_projects(cloud, admin):
    holder = cloud.new_project_user("reader")
    member = admin.identity.find_role("member")
    path = (
        f"/OS-INHERIT/domains/default/users/{holder.user_id}/roles/{member.id}"
        "/inherited_to_projects"
    )
    assert admin.identity.put(path).status_code == 204
    effective = admin.identity.get(
        f"/role_assignments?effective&user.id={holder.user_id}&scope.project.id={holder.project_id}"
    ).json()["role_assignments"]
    assert "inherited_to_projects" in {
        e["links"]["assignment"].rsplit("/", 1)[-1] for e in effective
    }
    assert admin.identity.delete(path).status_code == 204


def test_unknown_ids_in_grants_are_404(cloud, admin):
    holder = cloud.new_project_user("reader")
    reader = admin.identity.find_role("reader")
    for path, kind in (
        (f"/projects/nope/users/{holder.user_id}/roles/{reader.id}", "project"),
        (f"/projects/{holder.project_id}/users/nope/roles/{reader.id}", "user"),
        (f"/projects/{holder.project_id}/users/{holder.user_id}/roles/nope", "role"),
        (f"/domains/default/groups/nope/roles/{reader.id}", "group"),
    ):
        resp = admin.identity.put(path, raise_exc=False)
        assert resp.status_code == 404
        assert resp.json()["error"]["message"] == f"Could not find {kind}: nope."


def test_member_cannot_grant_itself_admin(cloud):
    holder = cloud.new_project_user("member")
    conn = holder.connect()
    admin_role = conn.identity.find_role("admin")
    path = f"/projects/{holder.project_id}/users/{holder.user_id}/roles/{admin_role.id}"
    assert conn.identity.put(path, raise_exc=False).status_code == 403
    assert conn.identity.head(path, raise_exc=False).status_code == 403
