"""Pools and flavors: admin-only catalog through python-zaqarclient."""

from __future__ import annotations

import uuid

import httpx
import pytest
from zaqarclient.transport import errors

from tests.functional.messaging.zaqar import http_client, keystone_session


@pytest.fixture
def admin_zaqar(cloud, messaging_url: str):  # noqa: ANN001, ANN201
    sess = keystone_session(cloud.auth_url, "admin", cloud.admin_password, "admin")
    return http_client(messaging_url, sess)


def test_pool_and_flavor_lifecycle(admin_zaqar) -> None:  # noqa: ANN001
    name = f"pool-{uuid.uuid4().hex[:8]}"
    pool = admin_zaqar.pool(name, weight=10, uri="redis://127.0.0.1:6379/1")
    assert pool.get()["weight"] == 10
    pool.update({"weight": 20})
    assert pool.get()["weight"] == 20
    assert name in [p.name for p in admin_zaqar.pools(limit=1000)]
    flavor = admin_zaqar.flavor(f"f-{name}", pool_list=[name])
    assert flavor.get()["pool_list"] == [name]
    flavor.delete()
    pool.delete()
    with pytest.raises(errors.ResourceNotFound):
        pool.get()


def test_flavor_over_unknown_pool_is_400(admin_zaqar) -> None:  # noqa: ANN001
    with pytest.raises(errors.MalformedRequest):
        admin_zaqar.flavor("f-nowhere", pool_list=["no-such-pool"])


def test_members_may_not_manage_pools(raw: httpx.Client) -> None:
    resp = raw.put("/v2/pools/mine", json={"weight": 1, "uri": "redis://x"})
    assert resp.status_code == 403 and set(resp.json()) == {"title", "description"}
    assert raw.get("/v2/pools").status_code == 403
    assert raw.get("/v2/flavors").status_code == 403
