"""Pools and flavors: admin-only catalog through python-zaqarclient."""

from __future__ import annotations

import uuid

import httpx
import pytest
from zaqarclient.transport import errors

from tests.functional.messaging.zaqar import http_client, keystone_session

REDIS = "redis://127.0.0.1:6379/1"


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


@pytest.fixture
def admin_raw(cloud, messaging_url: str):  # noqa: ANN001, ANN201
    headers = {"X-Auth-Token": cloud.admin_token(), "Client-ID": str(uuid.uuid4())}
    with httpx.Client(base_url=messaging_url, headers=headers, timeout=30) as client:
        yield client


def _names() -> tuple[str, str, str]:
    tag = uuid.uuid4().hex[:8]
    return f"pa-{tag}", f"pb-{tag}", f"f-{tag}"


def test_pools_show_the_flavor_that_lists_them(admin_zaqar) -> None:  # noqa: ANN001
    pa, pb, fa = _names()
    pool_a = admin_zaqar.pool(pa, weight=1, uri=REDIS)
    pool_b = admin_zaqar.pool(pb, weight=1, uri=REDIS)
    flavor = admin_zaqar.flavor(fa, pool_list=[pa, pb])
    assert (pool_a.get()["flavor"], pool_b.get()["flavor"]) == (fa, fa)
    flavor.update({"pool_list": [pb]})
    assert (pool_a.get()["flavor"], pool_b.get()["flavor"]) == (None, fa)
    flavor.delete()
    assert pool_b.get()["flavor"] is None


def test_a_flavors_last_pool_cannot_be_deleted(admin_raw: httpx.Client) -> None:
    pa, pb, fa = _names()
    for pool in (pa, pb):
        assert (
            admin_raw.put(f"/v2/pools/{pool}", json={"weight": 1, "uri": REDIS}).status_code == 201
        )
    assert admin_raw.put(f"/v2/flavors/{fa}", json={"pool_list": [pa, pb]}).status_code == 201
    assert admin_raw.delete(f"/v2/pools/{pa}").status_code == 204
    assert admin_raw.get(f"/v2/flavors/{fa}").json()["pool_list"] == [pb]
    resp = admin_raw.delete(f"/v2/pools/{pb}")
    assert resp.status_code == 403 and fa in resp.json()["description"]
    assert admin_raw.get(f"/v2/pools/{pb}").json()["flavor"] == fa
    assert admin_raw.delete(f"/v2/flavors/{fa}").status_code == 204
    assert admin_raw.delete(f"/v2/pools/{pb}").status_code == 204


@pytest.mark.parametrize(
    "uri", ["bogus://x", "redis://127.0.0.1:9/0", "mysql://127.0.0.1:9/db", "not a url", "", 5]
)
def test_pool_uri_must_name_a_reachable_store(admin_raw: httpx.Client, uri: object) -> None:
    pa, _, _ = _names()
    resp = admin_raw.put(f"/v2/pools/{pa}", json={"weight": 1, "uri": uri})
    assert resp.status_code == 400 and set(resp.json()) == {"title", "description"}
    assert admin_raw.get(f"/v2/pools/{pa}").status_code == 404


def test_pool_update_checks_the_uri_too(admin_raw: httpx.Client) -> None:
    pa, _, _ = _names()
    admin_raw.put(f"/v2/pools/{pa}", json={"weight": 1, "uri": REDIS})
    assert admin_raw.patch(f"/v2/pools/{pa}", json={"uri": "bogus://x"}).status_code == 400
    assert admin_raw.get(f"/v2/pools/{pa}").json()["uri"] == REDIS
