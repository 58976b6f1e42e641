"""Roles, domain-specific roles and implied roles."""

from __future__ import annotations

import uuid

import pytest


def _name() -> str:
    return f"r-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.connect()


def test_default_roles_and_their_inference_chain(admin):
    names = {r.name for r in admin.identity.roles()}
    assert {"admin", "member", "reader"} <= names
    inferences = admin.identity.get("/role_inferences").json()["role_inferences"]
    chain = {i["prior_role"]["name"]: {r["name"] for r in i["implies"]} for i in inferences}
    assert chain["member"] == {"reader"}


def test_cli_role_create_set_and_delete(cloud):
    name = _name()
    created = cloud.cli_json("role", "create", name, "--description", "d")
    assert created["name"] == name and created["domain_id"] is None
    cloud.cli("role", "set", "--name", name + "x", name)
    assert cloud.cli_json("role", "show", name + "x")["id"] == created["id"]
    cloud.cli("role", "delete", name + "x")
    assert cloud.cli("role", "show", name + "x", check=False).returncode != 0


def test_domain_specific_roles_are_listed_by_domain(admin):
    name = _name()
    role = admin.identity.create_role(name=name, domain_id="default")
    assert role.domain_id == "default"
    assert name not in {r.name for r in admin.identity.roles()}
    assert name in {r.name for r in admin.identity.roles(domain_id="default")}
    # the same name may exist once globally and once in a domain
    assert admin.identity.create_role(name=name).domain_id is None


def test_implied_role_put_get_head_delete(admin):
    prior = admin.identity.create_role(name=_name())
    implied = admin.identity.create_role(name=_name())
    path = f"/roles/{prior.id}/implies/{implied.id}"
    created = admin.identity.put(path)
    assert created.status_code == 201
    body = created.json()["role_inference"]
    assert body["prior_role"]["id"] == prior.id and body["implies"]["id"] == implied.id
    assert admin.identity.get(path).json()["role_inference"]["implies"]["name"] == implied.name
    assert admin.identity.head(path).status_code == 204
    listed = admin.identity.get(f"/roles/{prior.id}/implies").json()["role_inference"]
    assert [r["id"] for r in listed["implies"]] == [implied.id]
    loop = admin.identity.put(f"/roles/{implied.id}/implies/{prior.id}", raise_exc=False)
    assert loop.status_code == 400
    assert admin.identity.delete(path).status_code == 204
    assert admin.identity.head(path, raise_exc=False).status_code == 404


def test_admin_may_not_be_implied(admin):
    prior = admin.identity.create_role(name=_name())
    admin_role = admin.identity.find_role("admin")
    resp = admin.identity.put(f"/roles/{prior.id}/implies/{admin_role.id}", raise_exc=False)
    assert resp.status_code == 403


def test_duplicate_role_is_409_and_unknown_404(admin):
    name = _name()
    admin.identity.create_role(name=name)
    resp = admin.identity.post("/roles", json={"role": {"name": name}}, raise_exc=False)
    assert resp.status_code == 409
    assert admin.identity.get("/roles/nope", raise_exc=False).json()["error"]["message"] == (
        "Could not find role: nope."
    )
    assert admin.identity.put("/roles/nope/implies/nope2", raise_exc=False).status_code == 404


def test_role_body_rejects_unknown_fields_and_missing_name(admin):
    for body in ({"role": {}}, {"role": {"name": "x", "colour": "red"}}):
        assert admin.identity.post("/roles", json=body, raise_exc=False).status_code == 400


def test_member_can_read_but_not_create_roles(cloud):
    member = cloud.new_project_user("member").connect()
    assert "reader" in {r.name for r in member.identity.roles()}
    resp = member.identity.post("/roles", json={"role": {"name": _name()}}, raise_exc=False)
    assert resp.status_code == 403
