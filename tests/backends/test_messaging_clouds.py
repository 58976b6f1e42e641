"""The messaging API on every backend: a cloud on MariaDB, PostgreSQL and Redis, real clients."""

from __future__ import annotations

import concurrent.futures
import uuid

import httpx
import pytest
import redis

from tests.functional.messaging.zaqar import http_client, keystone_session, new_client_id


@pytest.fixture(scope="module", params=["mariadb", "postgresql", "redis"])
def backend_cloud(request: pytest.FixtureRequest, cloud_factory, throwaway_database):  # noqa: ANN001, ANN201
    """A cloud whose messages live on the parametrized backend."""
    if request.param != "redis":
        yield cloud_factory(db_url=throwaway_database(request.param))
        return
    prefix = f"kctest{uuid.uuid4().hex[:8]}"
    config = {
        "drivers": {"message_store": "redis"},
        "drivers:message_store:redis": {"key_prefix": prefix},
    }
    yield cloud_factory(config=config)
    client = redis.Redis()
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_zaqarclient_cycle(backend_cloud) -> None:  # noqa: ANN001
    sess = keystone_session(backend_cloud.auth_url, "admin", backend_cloud.admin_password, "admin")
    zaqar = http_client(backend_cloud.url + "/messaging", sess)
    queue = zaqar.queue("cycle", force_create=True)
    queue.post([{"body": {"n": i}} for i in range(4)])
    assert [m.body["n"] for m in queue.messages(echo=True)] == [0, 1, 2, 3]
    claimed = list(queue.claim(ttl=60, grace=60, limit=3))
    assert [m.body["n"] for m in claimed] == [0, 1, 2]
    for m in claimed:
        m.delete()
    assert queue.stats["messages"]["total"] == 1
    queue.delete()


def test_many_concurrent_claimers_share_nothing_and_lose_nothing(backend_cloud) -> None:  # noqa: ANN001
    headers = {"X-Auth-Token": backend_cloud.admin_token(), "Client-ID": new_client_id()}
    base = backend_cloud.url + "/messaging/v2/queues/race"
    with httpx.Client(headers=headers, timeout=60) as c:
        for start in range(0, 300, 10):
            c.post(f"{base}/messages", json={"messages": [{"body": start + i} for i in range(10)]})

    def drain(_: int) -> list[int]:
        got = []
        with httpx.Client(headers=headers, timeout=60) as c:
            while (r := c.post(f"{base}/claims?limit=7", json={})).status_code == 201:
                got += [m["body"] for m in r.json()["messages"]]
        return got

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        seen = [b for part in pool.map(drain, range(16)) for b in part]
    assert sorted(seen) == list(range(300))
