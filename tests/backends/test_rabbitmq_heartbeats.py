"""Connections the broker drops are re-established: imports and notifications go on.

The broker closes every connection of a vhost the test made (never the whole broker): the API
process and the worker notice, connect again, and the next import and notification get through.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.backends.rabbit import own_vhost, queues, rabbitmqctl
from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import serve


@pytest.fixture(scope="module")
def broker_cloud(cloud_factory, throwaway_database) -> Iterator[tuple]:  # noqa: ANN001
    with own_vhost() as (vhost, url):
        config = {
            "DEFAULT": {"transport_url": url},
            "oslo_messaging_rabbit": {
                "amqp_durable_queues": "true",
                "heartbeat_timeout_threshold": "10",
            },
            "task": {"lease_seconds": "3", "redispatch_seconds": "5"},
            "import_filtering_opts": {
                "allowed_private_networks": "127.0.0.0/8",
                "allowed_ports": "",
            },
        }
        cloud = cloud_factory(throwaway_database("postgresql"), config)
        cmd = [sys.executable, "-m", "kilocloud", "worker", "--workers", "1"]
        cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
        with open(cloud.state_dir / "worker.log", "ab") as log:
            worker = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while b"taking jobs" not in (cloud.state_dir / "worker.log").read_bytes():
                assert time.monotonic() < deadline and worker.poll() is None
                time.sleep(0.2)
            time.sleep(1)
            yield cloud, vhost
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(30)


def _import(api: ImageAPI, url: str, data: bytes) -> None:
    image = api.create(name="hb", disk_format="raw")
    body = {"method": {"name": "web-download", "uri": f"{url}/disk.raw"}}
    assert api.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    deadline = time.monotonic() + 60
    while (got := api.http.get(f"/v2/images/{image['id']}").json())["status"] != "active":
        assert time.monotonic() < deadline, got
        time.sleep(0.3)
    assert got["os_hash_value"] == hashlib.sha512(data).hexdigest()


def _notifications(vhost: str) -> int:
    out = rabbitmqctl("list_queues", "-p", vhost, "--no-table-headers", "name", "messages")
    counts = dict(line.split("\t") for line in out.splitlines())
    return int(counts.get("notifications.info", 0))


def test_dropped_connections_come_back_and_work_resumes(broker_cloud, tmp_path) -> None:  # noqa: ANN001
    cloud, vhost = broker_cloud
    data = os.urandom(1 << 20)
    (tmp_path / "disk.raw").write_bytes(data)
    server, url = serve(tmp_path)
    try:
        api = ImageAPI(cloud, cloud.admin_token())
        _import(api, url, data)
        before = _notifications(vhost)
        rabbitmqctl("close_all_connections", "--vhost", vhost, "--limit", "1000", "test drop")
        _import(api, url, data)  # the API casts, the worker takes it: both connected again
        deadline = time.monotonic() + 30
        while _notifications(vhost) <= before:
            assert time.monotonic() < deadline, "no notification after the drop"
            time.sleep(0.5)
        assert "kilocloud-worker" in queues(vhost)
    finally:
        server.shutdown()
