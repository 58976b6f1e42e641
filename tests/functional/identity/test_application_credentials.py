"""Application credentials: secret shown once, role subsets, expiry, login, revocation."""

from __future__ import annotations

import datetime
import uuid

import httpx
import pytest


def _auth(cloud, cred_id: str, secret: str) -> httpx.Response:
    body = {
        "auth": {
            "identity": {
                "methods": ["application_credential"],
                "application_credential": {"id": cred_id, "secret": secret},
            }
        }
    }
    return httpx.post(f"{cloud.auth_url}/auth/tokens?nocatalog", json=body, timeout=30)


@pytest.fixture
def holder(cloud):
    return cloud.new_project_user("member")


def _url(cloud, holder) -> str:
    return f"{cloud.auth_url}/users/{holder.user_id}/application_credentials"


def test_cli_create_and_login_with_it(cloud, holder):
    env = cloud.env | {
        "OS_USERNAME": holder.user_name,
        "OS_PASSWORD": holder.password,
        "OS_PROJECT_NAME": holder.project_name,
    }
    cred = cloud.cli_json("application", "credential", "create", "ci", env=env)
    assert cred["Secret"] and {r["name"] for r in cred["Roles"]} == {"member", "reader"}
    app_env = {k: v for k, v in env.items() if not k.startswith("OS_")}
    app_env |= {
        "OS_AUTH_URL": cloud.auth_url,
        "OS_AUTH_TYPE": "v3applicationcredential",
        "OS_APPLICATION_CREDENTIAL_ID": cred["ID"],
        "OS_APPLICATION_CREDENTIAL_SECRET": cred["Secret"],
        "OS_IDENTITY_API_VERSION": "3",
    }
    token = cloud.cli_json("token", "issue", env=app_env)
    assert token["project_id"] == holder.project_id and token["user_id"] == holder.user_id
    listed = cloud.cli_json("application", "credential", "list", env=env)
    assert [c["Name"] for c in listed] == ["ci"]
    assert "Secret" not in listed[0] and "secret" not in str(listed)


def test_secret_is_returned_once_and_only_its_hash_is_kept(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    resp = httpx.post(
        _url(cloud, holder), json={"application_credential": {"name": "a"}}, headers=headers
    )
    assert resp.status_code == 201
    cred = resp.json()["application_credential"]
    assert len(cred["secret"]) >= 32
    shown = httpx.get(f"{_url(cloud, holder)}/{cred['id']}", headers=headers).json()
    assert "secret" not in shown["application_credential"]
    assert _auth(cloud, cred["id"], cred["secret"]).status_code == 201
    assert _auth(cloud, cred["id"], "wrong").status_code == 401


def test_chosen_secret_roles_subset_and_expiry(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    soon = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
    body = {
        "application_credential": {
            "name": "ro",
            "secret": "my-secret",
            "roles": [{"name": "reader"}],
            "expires_at": soon,
        }
    }
    cred = httpx.post(_url(cloud, holder), json=body, headers=headers).json()
    cred = cred["application_credential"]
    assert cred["secret"] == "my-secret" and [r["name"] for r in cred["roles"]] == ["reader"]
    token = _auth(cloud, cred["id"], "my-secret").json()["token"]
    assert {r["name"] for r in token["roles"]} == {"reader"}
    assert token["expires_at"] <= cred["expires_at"] + "Z"


def test_roles_the_user_lacks_are_refused(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    body = {"application_credential": {"name": "x", "roles": [{"name": "admin"}]}}
    resp = httpx.post(_url(cloud, holder), json=body, headers=headers)
    assert resp.status_code == 403
    assert httpx.get(_url(cloud, holder), headers=headers).json()["application_credentials"] == []


def test_duplicate_name_is_409_and_name_filter(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    body = {"application_credential": {"name": "dup"}}
    assert httpx.post(_url(cloud, holder), json=body, headers=headers).status_code == 201
    again = httpx.post(_url(cloud, holder), json=body, headers=headers)
    assert again.status_code == 409
    listed = httpx.get(f"{_url(cloud, holder)}?name=dup", headers=headers).json()
    assert [c["name"] for c in listed["application_credentials"]] == ["dup"]
    none = httpx.get(f"{_url(cloud, holder)}?name=other", headers=headers).json()
    assert none["application_credentials"] == []


def test_delete_revokes_its_tokens(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    body = {"application_credential": {"name": "gone"}}
    cred = httpx.post(_url(cloud, holder), json=body, headers=headers).json()
    cred = cred["application_credential"]
    app_token = _auth(cloud, cred["id"], cred["secret"]).headers["x-subject-token"]
    probe = f"{cloud.auth_url}/auth/projects"
    assert httpx.get(probe, headers={"X-Auth-Token": app_token}).status_code == 200
    assert httpx.delete(f"{_url(cloud, holder)}/{cred['id']}", headers=headers).status_code == 204
    assert httpx.get(probe, headers={"X-Auth-Token": app_token}).status_code == 401
    assert _auth(cloud, cred["id"], cred["secret"]).status_code == 401
    missing = httpx.delete(f"{_url(cloud, holder)}/{cred['id']}", headers=headers)
    assert missing.status_code == 404


def test_bad_bodies_and_other_users(cloud, holder):
    headers = {"X-Auth-Token": holder.token()}
    for body in (
        {"application_credential": {}},
        {"application_credential": {"name": "x", "expires_at": "tomorrow"}},
        {"application_credential": {"name": "x", "roles": "member"}},
    ):
        assert httpx.post(_url(cloud, holder), json=body, headers=headers).status_code == 400
    other = cloud.new_project_user("member")
    url = f"{cloud.auth_url}/users/{other.user_id}/application_credentials"
    body = {"application_credential": {"name": f"n-{uuid.uuid4().hex[:6]}"}}
    assert httpx.post(url, json=body, headers=headers).status_code == 403
    assert httpx.get(url, headers=headers).status_code == 403
