"""Token validation, revocation, rescoping and scopes over HTTP, as services use them."""

from __future__ import annotations

import datetime
import time

import httpx
import pytest


def _password_auth(cloud, scope=None, password=None):
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "admin",
                        "domain": {"name": "Default"},
                        "password": password or cloud.admin_password,
                    }
                },
            }
        }
    }
    if scope is not None:
        body["auth"]["scope"] = scope
    return httpx.post(f"{cloud.auth_url}/auth/tokens", json=body, timeout=30)


def _headers(cloud, subject):
    return {"X-Auth-Token": cloud.admin_token(), "X-Subject-Token": subject}


def test_issued_token_carries_user_project_roles_and_catalog(cloud):
    resp = _password_auth(cloud, {"project": {"name": "admin", "domain": {"id": "default"}}})
    assert resp.status_code == 201
    token = resp.json()["token"]
    assert token["methods"] == ["password"]
    assert token["user"]["name"] == "admin" and token["user"]["domain"]["id"] == "default"
    assert token["project"]["name"] == "admin"
    assert {"admin", "member", "reader"} <= {r["name"] for r in token["roles"]}
    assert {e["type"] for e in token["catalog"]} >= {"identity", "image", "messaging"}
    assert token["expires_at"].endswith("Z") and len(token["audit_ids"]) == 1
    assert resp.headers["x-subject-token"] not in resp.text


def test_validate_check_and_revoke(cloud):
    subject = _password_auth(cloud).headers["x-subject-token"]
    headers = _headers(cloud, subject)
    shown = httpx.get(f"{cloud.auth_url}/auth/tokens?nocatalog", headers=headers)
    assert shown.status_code == 200
    assert "catalog" not in shown.json()["token"]
    assert shown.headers["x-subject-token"] == subject
    assert httpx.head(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 200
    assert httpx.delete(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 204
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 404
    assert httpx.head(f"{cloud.auth_url}/auth/tokens", headers=headers).status_code == 404
    revoked = httpx.get(f"{cloud.auth_url}/auth/projects", headers={"X-Auth-Token": subject})
    assert revoked.status_code == 401
    assert revoked.headers["www-authenticate"].startswith("Keystone uri=")


def test_unscoped_token_rescoped_to_project_domain_and_system(cloud):
    unscoped = _password_auth(cloud, "unscoped")
    assert unscoped.status_code == 201 and "project" not in unscoped.json()["token"]
    assert "catalog" not in unscoped.json()["token"]
    subject = unscoped.headers["x-subject-token"]
    chain = unscoped.json()["token"]["audit_ids"][0]
    for scope, key in (
        ({"project": {"name": "admin", "domain": {"id": "default"}}}, "project"),
        ({"system": {"all": True}}, "system"),
    ):
        body = {"auth": {"identity": {"methods": ["token"], "token": {"id": subject}}}}
        body["auth"]["scope"] = scope
        resp = httpx.post(f"{cloud.auth_url}/auth/tokens", json=body)
        assert resp.status_code == 201, resp.text
        token = resp.json()["token"]
        assert key in token and token["methods"] == ["password", "token"]
        assert token["audit_ids"][1] == chain
    domain = _password_auth(cloud, {"domain": {"id": "default"}})
    assert domain.status_code == 401  # admin holds no role on the domain itself


def test_auth_listings_for_a_project_token(cloud):
    headers = {"X-Auth-Token": cloud.admin_token()}
    projects = httpx.get(f"{cloud.auth_url}/auth/projects", headers=headers).json()["projects"]
    assert "admin" in {p["name"] for p in projects}
    system = httpx.get(f"{cloud.auth_url}/auth/system", headers=headers).json()["system"]
    assert system == [{"all": True}]
    catalog = httpx.get(f"{cloud.auth_url}/auth/catalog", headers=headers).json()["catalog"]
    assert all(e["type"] and e["name"] for e in catalog)
    assert httpx.get(f"{cloud.auth_url}/auth/domains", headers=headers).json()["domains"] == []


def test_catalog_needs_a_scoped_token(cloud):
    unscoped = _password_auth(cloud, "unscoped").headers["x-subject-token"]
    resp = httpx.get(f"{cloud.auth_url}/auth/catalog", headers={"X-Auth-Token": unscoped})
    assert resp.status_code == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"auth": {"identity": {"methods": ["kerberos"], "kerberos": {}}}}, 401),
        ({"auth": {"identity": {"methods": ["password"], "password": {}}}}, 400),
        ({"auth": {}}, 400),
        ({"nope": 1}, 400),
        ({"auth": {"identity": {"methods": ["token"], "token": {"id": "garbage"}}}}, 401),
        (
            {
                "auth": {
                    "identity": {
                        "methods": ["password"],
                        "password": {"user": {"id": "x", "password": "y"}},
                    },
                    "scope": {"project": {}},
                }
            },
            401,
        ),
    ],
)
def test_bad_auth_requests(cloud, body, status):
    resp = httpx.post(f"{cloud.auth_url}/auth/tokens", json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["code"] == status


def test_malformed_and_oversized_bodies(cloud):
    url = f"{cloud.auth_url}/auth/tokens"
    resp = httpx.post(url, content=b"{not json", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["title"] == "Bad Request"
    huge = b'{"auth": "' + b"x" * 200_000 + b'"}'
    resp = httpx.post(url, content=huge, headers={"Content-Type": "application/json"})
    assert resp.status_code == 413


def test_validation_needs_a_subject_token_and_a_valid_caller(cloud):
    url = f"{cloud.auth_url}/auth/tokens"
    assert httpx.get(url, headers={"X-Auth-Token": cloud.admin_token()}).status_code == 401
    assert httpx.get(url, headers={"X-Subject-Token": "abc"}).status_code == 401
    bogus = httpx.get(url, headers=_headers(cloud, "gAAAAAB-not-a-token"))
    assert bogus.status_code == 404


def test_expired_token_is_refused_unless_allow_expired(cloud_factory):
    short = cloud_factory(config={"token": {"expiration": "5"}})
    issued = _password_auth(short, {"project": {"name": "admin", "domain": {"id": "default"}}})
    subject = issued.headers["x-subject-token"]
    url = f"{short.auth_url}/auth/tokens"
    itself = {"X-Auth-Token": subject, "X-Subject-Token": subject}
    assert httpx.get(url, headers=itself).status_code == 200
    expires = datetime.datetime.fromisoformat(issued.json()["token"]["expires_at"])
    time.sleep(max(0.0, (expires - datetime.datetime.now(datetime.UTC)).total_seconds()) + 0.5)
    caller = {"X-Auth-Token": short.token(), "X-Subject-Token": subject}
    assert httpx.get(url, headers=caller).status_code == 404
    assert httpx.get(f"{url}?allow_expired=1", headers=caller).status_code == 200
    projects = httpx.get(f"{short.auth_url}/auth/projects", headers={"X-Auth-Token": subject})
    assert projects.status_code == 401


def test_tokens_survive_key_rotation_and_restart(cloud_factory):
    cloud = cloud_factory()
    subject = cloud.token()
    cloud.kilocloud("fernet", "rotate")
    after = {"X-Auth-Token": cloud.token(), "X-Subject-Token": subject}
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=after).status_code == 200
    cloud.stop()
    cloud.log = open(cloud.state_dir / "server.log", "ab")  # noqa: SIM115
    cloud.start()
    again = {"X-Auth-Token": cloud.token(), "X-Subject-Token": subject}
    assert httpx.get(f"{cloud.auth_url}/auth/tokens", headers=again).status_code == 200
