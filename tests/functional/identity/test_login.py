"""A new user's first steps: discovery, token issue, catalog, with the real clients."""

from __future__ import annotations

import httpx
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3


def test_keystoneauth_discovers_and_authenticates(cloud):
    auth = v3.Password(
        auth_url=cloud.auth_url.removesuffix("/v3"),
        username="admin",
        password=cloud.admin_password,
        project_name="admin",
        user_domain_id="default",
        project_domain_id="default",
    )
    sess = ks_session.Session(auth=auth)
    assert sess.get_token()
    assert sess.get_endpoint(service_type="image", interface="public") == f"{cloud.url}/image"
    assert sess.get_project_id()


def test_cli_token_issue_and_catalog_list(cloud):
    token = cloud.cli_json("token", "issue")
    assert token["project_id"] and token["user_id"]
    catalog = cloud.cli_json("catalog", "list")
    assert {c["Type"] for c in catalog} >= {"identity", "image", "messaging"}


def test_identity_root_is_a_300_with_the_v3_media_type(cloud):
    resp = httpx.get(f"{cloud.url}/identity/")
    assert resp.status_code == 300
    version = resp.json()["versions"]["values"][0]
    assert version["id"].startswith("v3")
    assert version["links"][0]["href"] == f"{cloud.url}/identity/v3/"
    assert version["media-types"][0]["type"] == "application/vnd.openstack.identity-v3+json"
    v3doc = httpx.get(f"{cloud.url}/identity/v3").json()
    assert v3doc["version"]["status"] == "stable"


def test_wrong_password_is_401_without_saying_what_was_wrong(cloud):
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": "admin", "domain": {"id": "default"}, "password": "nope"}
                },
            }
        }
    }
    resp = httpx.post(f"{cloud.auth_url}/auth/tokens", json=body)
    assert resp.status_code == 401
    error = resp.json()["error"]
    assert error["code"] == 401 and error["title"] == "Unauthorized"
    unknown = body | {}
    unknown["auth"]["identity"]["password"]["user"]["name"] = "nobody"
    resp2 = httpx.post(f"{cloud.auth_url}/auth/tokens", json=unknown)
    assert resp2.status_code == 401
    assert resp2.json()["error"]["message"] == error["message"]
    assert "x-openstack-request-id" in resp2.headers
