"""Domains: Default exists, disable before delete, revocation and cascade."""

from __future__ import annotations

import uuid

import httpx
import pytest


def _name() -> str:
    return f"d-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_default_domain_exists_and_cannot_be_disabled(admin):
    default = admin.identity.get_domain("default")
    assert default.name == "Default" and default.is_enabled
    resp = admin.identity.patch(
        "/domains/default", json={"domain": {"enabled": False}}, raise_exc=False
    )
    assert resp.status_code == 403


def test_cli_domain_lifecycle(cloud):
    name = _name()
    created = cloud.cli_json("domain", "create", name, "--description", "d")
    assert created["name"] == name and created["enabled"] is True
    enabled = cloud.cli("domain", "delete", name, check=False)
    assert enabled.returncode != 0
    cloud.cli("domain", "set", "--disable", name)
    cloud.cli("domain", "delete", name)
    assert cloud.cli("domain", "show", name, check=False).returncode != 0


def test_enabled_domain_delete_is_403(admin):
    domain = admin.identity.create_domain(name=_name())
    resp = admin.identity.delete(f"/domains/{domain.id}", raise_exc=False)
    assert resp.status_code == 403
    assert admin.identity.get_domain(domain.id).is_enabled


def test_deleting_a_domain_removes_its_contents(admin):
    domain = admin.identity.create_domain(name=_name())
    parent = admin.identity.create_project(name="top", domain_id=domain.id)
    admin.identity.create_project(name="child", parent_id=parent.id)
    user = admin.identity.create_user(name="someone", domain_id=domain.id)
    admin.identity.assign_project_role_to_user(parent, user, admin.identity.find_role("reader"))
    admin.identity.update_domain(domain, is_enabled=False)
    admin.identity.delete_domain(domain)
    assert list(admin.identity.projects(domain_id=domain.id)) == []
    assert admin.identity.get(f"/users/{user.id}", raise_exc=False).status_code == 404


def test_disabling_a_domain_revokes_tokens_of_its_users(cloud, admin):
    domain = admin.identity.create_domain(name=_name())
    project = admin.identity.create_project(name="p", domain_id=domain.id)
    user = admin.identity.create_user(name="u", domain_id=domain.id, password="pw-secret")
    admin.identity.assign_project_role_to_user(project, user, admin.identity.find_role("reader"))
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"id": user.id, "password": "pw-secret"}},
            },
            "scope": {"project": {"id": project.id}},
        }
    }
    token = httpx.post(f"{cloud.auth_url}/auth/tokens", json=body).headers["x-subject-token"]
    probe = f"{cloud.auth_url}/auth/projects"
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 200
    admin.identity.update_domain(domain, is_enabled=False)
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 401


def test_duplicate_unknown_and_bad_input(admin):
    name = _name()
    admin.identity.create_domain(name=name)
    resp = admin.identity.post("/domains", json={"domain": {"name": name}}, raise_exc=False)
    assert resp.status_code == 409
    assert admin.identity.get("/domains/nope", raise_exc=False).status_code == 404
    bad = admin.identity.post("/domains", json={"domain": {"enabled": True}}, raise_exc=False)
    assert bad.status_code == 400 and "name" in bad.json()["error"]["message"]
    assert [d.name for d in admin.identity.domains(name=name)] == [name]


def test_member_cannot_list_or_create_domains_but_sees_its_own(cloud):
    conn = cloud.new_project_user("member").connect()
    assert conn.identity.get("/domains", raise_exc=False).status_code == 403
    resp = conn.identity.post("/domains", json={"domain": {"name": _name()}}, raise_exc=False)
    assert resp.status_code == 403
    assert conn.identity.get("/domains/default", raise_exc=False).status_code == 200
