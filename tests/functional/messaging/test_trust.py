"""trust+http subscribers: deliveries carry a token the subscriber's trust scopes."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LOOPBACK_WEBHOOKS, Cloud
from tests.functional.messaging.sinks import Webhook
from tests.functional.messaging.zaqar import new_client_id

ADMIN_PASSWORD = secrets.token_urlsafe(18)


@pytest.fixture(scope="module")
def trust_cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    """A cloud whose admin user is the [trustee] (its password chosen before the first start)."""
    state_dir = tmp_path_factory.mktemp("trust-cloud")
    (state_dir / "admin-password").write_text(ADMIN_PASSWORD + "\n")
    config = {"trustee": {"username": "admin", "password": ADMIN_PASSWORD}, **LOOPBACK_WEBHOOKS}
    cloud = Cloud(state_dir, config)
    cloud.start()
    yield cloud
    cloud.stop()


def test_trust_subscriber_gets_a_trust_scoped_token(trust_cloud: Cloud) -> None:
    member = trust_cloud.new_project_user()
    hook = Webhook()
    headers = {"X-Auth-Token": member.token(), "Client-ID": new_client_id()}
    base = trust_cloud.url + "/messaging/v2/queues/trusted"
    try:
        sub = {"subscriber": "trust+" + hook.url, "ttl": 600}
        created = httpx.post(f"{base}/subscriptions", json=sub, headers=headers)
        assert created.status_code == 201, created.text
        shown = httpx.get(
            f"{base}/subscriptions/{created.json()['subscription_id']}", headers=headers
        )
        trust_id = shown.json()["options"]["trust_id"]
        httpx.post(f"{base}/messages", json={"messages": [{"body": "as you"}]}, headers=headers)
        got_headers, body, _ = hook.next()
    finally:
        hook.close()
    assert body["body"] == "as you"
    check = {
        "X-Auth-Token": trust_cloud.admin_token(),
        "X-Subject-Token": got_headers["X-Auth-Token"],
    }
    token = httpx.get(trust_cloud.auth_url + "/auth/tokens", headers=check).json()["token"]
    assert token["OS-TRUST:trust"]["id"] == trust_id
    assert token["project"]["id"] == member.project_id
    assert token["user"]["id"] == member.user_id


def test_trust_subscriber_refused_without_trustee(raw: httpx.Client, queue_name: str) -> None:
    sub = {"subscriber": "trust+http://127.0.0.1:9/x", "ttl": 600}
    resp = raw.post(f"/v2/queues/{queue_name}/subscriptions", json=sub)
    assert resp.status_code == 400 and "trustee" in resp.json()["description"]
