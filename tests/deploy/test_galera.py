"""deploy/'s layout on a three-node MariaDB Galera cluster, each API process on its own node.

A node stops in the middle of a run of writes through the balancer: every write succeeds, and
every process then sees all of them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.backends.rabbit import own_vhost
from tests.conftest import _admin_statement
from tests.deploy.galera import Cluster
from tests.deploy.layout import Layout


@pytest.fixture(scope="module")
def galera_layout(tmp_path_factory) -> Iterator[tuple[Layout, Cluster]]:  # noqa: ANN001
    cluster = Cluster(tmp_path_factory.mktemp("galera"))
    try:
        cluster.start()
        admin = f"mysql+asyncmy://root@127.0.0.1:{cluster.nodes[0].port}/mysql"
        asyncio.run(_admin_statement(admin, "CREATE DATABASE kilocloud"))
        with own_vhost() as (_, transport_url):
            urls = [cluster.url(i, "kilocloud") for i in range(2)]
            layout = Layout(tmp_path_factory.mktemp("layout"), urls[0], transport_url, urls)
            try:
                layout.start()
                yield layout, cluster
            finally:
                layout.stop()
    finally:
        cluster.stop()


def test_a_node_stopped_mid_run_loses_no_write(galera_layout) -> None:  # noqa: ANN001
    layout, cluster = galera_layout
    headers = {"X-Auth-Token": layout.cloud.admin_token()}
    body = {"name": "g", "disk_format": "raw", "container_format": "bare"}
    made = []
    with httpx.Client(base_url=f"{layout.cloud.url}/image/v2", headers=headers, timeout=30) as api:
        for i in range(30):
            if i == 10:
                cluster.nodes[2].stop()
            resp = api.post("/images", json=body)
            assert resp.status_code == 201, resp.text
            made.append(resp.json()["id"])
    assert cluster.size() == 2
    time.sleep(1)
    for port in layout.api_ports:
        listed = httpx.get(
            f"http://127.0.0.1:{port}/image/v2/images?limit=100", headers=headers, timeout=30
        ).json()["images"]
        assert set(made) <= {i["id"] for i in listed}


def test_token_revoked_on_one_node_is_refused_through_the_other(galera_layout) -> None:  # noqa: ANN001
    layout, _ = galera_layout
    admin, subject = layout.cloud.admin_token(), layout.cloud.admin_token()
    first, second = (f"http://127.0.0.1:{p}/identity/v3" for p in layout.api_ports)
    headers = {"X-Auth-Token": admin, "X-Subject-Token": subject}
    assert httpx.get(f"{second}/auth/tokens", headers=headers, timeout=10).status_code == 200
    assert httpx.delete(f"{first}/auth/tokens", headers=headers, timeout=30).status_code == 204
    time.sleep(2)
    assert httpx.get(f"{second}/auth/tokens", headers=headers, timeout=10).status_code == 404
