"""OS-TRUST trusts: create with the CLI, trust-scoped tokens, remaining uses, deletion."""

from __future__ import annotations

import httpx
import pytest


def _trust_token(cloud, trustee, trust_id: str) -> httpx.Response:
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"id": trustee.user_id, "password": trustee.password}},
            },
            "scope": {"OS-TRUST:trust": {"id": trust_id}},
        }
    }
    return httpx.post(f"{cloud.auth_url}/auth/tokens?nocatalog", json=body, timeout=30)


@pytest.fixture
def pair(cloud):
    """A trustor (member of its project) and a trustee (with no role there)."""
    return cloud.new_project_user("member"), cloud.new_project_user("reader")


def _env(cloud, user):
    return cloud.env | {
        "OS_USERNAME": user.user_name,
        "OS_PASSWORD": user.password,
        "OS_PROJECT_NAME": user.project_name,
    }


def test_cli_trust_create_and_trust_scoped_token(cloud, pair):
    trustor, trustee = pair
    trust = cloud.cli_json(
        "trust",
        "create",
        "--project",
        trustor.project_id,
        "--role",
        "member",
        trustor.user_id,
        trustee.user_id,
        env=_env(cloud, trustor),
    )
    assert trust["trustor_user_id"] == trustor.user_id
    resp = _trust_token(cloud, trustee, trust["id"])
    assert resp.status_code == 201
    token = resp.json()["token"]
    assert token["project"]["id"] == trustor.project_id
    assert token["OS-TRUST:trust"]["id"] == trust["id"]
    assert {r["name"] for r in token["roles"]} == {"member", "reader"}
    shown = cloud.cli_json("trust", "show", trust["id"], env=_env(cloud, trustee))
    assert shown["trustee_user_id"] == trustee.user_id


def _create(cloud, trustor, trustee, **extra) -> httpx.Response:
    body = {
        "trust": {
            "trustor_user_id": trustor.user_id,
            "trustee_user_id": trustee.user_id,
            "project_id": trustor.project_id,
            "impersonation": False,
            "roles": [{"name": "reader"}],
            **extra,
        }
    }
    headers = {"X-Auth-Token": trustor.token()}
    return httpx.post(f"{cloud.auth_url}/OS-TRUST/trusts", json=body, headers=headers)


def test_remaining_uses_run_out(cloud, pair):
    trustor, trustee = pair
    trust = _create(cloud, trustor, trustee, remaining_uses=2).json()["trust"]
    assert trust["remaining_uses"] == 2
    assert _trust_token(cloud, trustee, trust["id"]).status_code == 201
    assert _trust_token(cloud, trustee, trust["id"]).status_code == 201
    assert _trust_token(cloud, trustee, trust["id"]).status_code == 401


def test_delete_revokes_trust_tokens(cloud, pair):
    trustor, trustee = pair
    trust = _create(cloud, trustor, trustee).json()["trust"]
    token = _trust_token(cloud, trustee, trust["id"]).headers["x-subject-token"]
    probe = f"{cloud.auth_url}/auth/projects"
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 200
    url = f"{cloud.auth_url}/OS-TRUST/trusts/{trust['id']}"
    trustee_headers = {"X-Auth-Token": trustee.token()}
    assert httpx.delete(url, headers=trustee_headers).status_code == 403
    assert httpx.delete(url, headers={"X-Auth-Token": trustor.token()}).status_code == 204
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 401
    assert httpx.get(url, headers=trustee_headers).status_code == 404
    assert _trust_token(cloud, trustee, trust["id"]).status_code == 401


def test_list_filters_show_and_roles(cloud, pair):
    trustor, trustee = pair
    trust = _create(cloud, trustor, trustee).json()["trust"]
    base = f"{cloud.auth_url}/OS-TRUST/trusts"
    headers = {"X-Auth-Token": trustee.token()}
    listed = httpx.get(f"{base}?trustee_user_id={trustee.user_id}", headers=headers).json()
    assert [t["id"] for t in listed["trusts"]] == [trust["id"]]
    other = httpx.get(f"{base}?trustor_user_id={trustor.user_id}", headers=headers)
    assert other.status_code == 403
    assert httpx.get(base, headers=headers).status_code == 403
    roles = httpx.get(f"{base}/{trust['id']}/roles", headers=headers).json()["roles"]
    assert [r["name"] for r in roles] == ["reader"]
    role_url = f"{base}/{trust['id']}/roles/{roles[0]['id']}"
    assert httpx.get(role_url, headers=headers).json()["role"]["name"] == "reader"
    assert httpx.head(role_url, headers=headers).status_code == 200
    assert httpx.get(f"{base}/{trust['id']}/roles/nope", headers=headers).status_code == 404


def test_refused_trusts_change_nothing(cloud, pair):
    trustor, trustee = pair
    assert _create(cloud, trustor, trustee, roles=[{"name": "admin"}]).status_code == 403
    assert _create(cloud, trustor, trustee, roles=[{"name": "nope"}]).status_code == 404
    assert _create(cloud, trustor, trustee, trustee_user_id="nope").status_code == 404
    assert _create(cloud, trustor, trustee, remaining_uses=0).status_code == 400
    assert _create(cloud, trustor, trustee, impersonation="yes").status_code == 400
    assert _create(cloud, trustor, trustee, expires_at="2001-01-01T00:00:00Z").status_code == 400
    headers = {"X-Auth-Token": trustee.token()}
    body = {
        "trust": {
            "trustor_user_id": trustor.user_id,
            "trustee_user_id": trustee.user_id,
            "impersonation": False,
        }
    }
    resp = httpx.post(f"{cloud.auth_url}/OS-TRUST/trusts", json=body, headers=headers)
    assert resp.status_code == 403
    mine = httpx.get(
        f"{cloud.auth_url}/OS-TRUST/trusts?trustor_user_id={trustor.user_id}",
        headers={"X-Auth-Token": trustor.token()},
    )
    assert mine.json()["trusts"] == []


def test_deleting_the_trustor_ends_the_trust(cloud, pair):
    trustor, trustee = pair
    trust = _create(cloud, trustor, trustee).json()["trust"]
    token = _trust_token(cloud, trustee, trust["id"]).headers["x-subject-token"]
    probe = f"{cloud.auth_url}/auth/projects"
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 200
    cloud.connect().identity.delete_user(trustor.user_id)
    assert httpx.get(probe, headers={"X-Auth-Token": token}).status_code == 401
    assert _trust_token(cloud, trustee, trust["id"]).status_code == 401
