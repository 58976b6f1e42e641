"""Imports run by two `kilocloud worker` processes over the real RabbitMQ, on PostgreSQL.

One worker is killed with SIGKILL in the middle of the imports: once its leases expire, the other
worker runs its tasks again, and every import ends active with the whole data.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import serve

RABBIT = "rabbit://guest:guest@127.0.0.1:5672/"
# one topic for every run, so that runs leave no queues behind; a job left over from an earlier
# run names a task this run's database does not have, and is ignored
TOPIC = "kilocloud-test-image-workers"


def _config(topic: str) -> dict:
    return {
        "DEFAULT": {"transport_url": RABBIT},
        "oslo_messaging_notifications": {"driver": "noop"},
        "task": {"lease_seconds": "3", "redispatch_seconds": "5", "topic": topic},
        "import_filtering_opts": {"allowed_private_networks": "127.0.0.0/8", "allowed_ports": ""},
    }


def _worker(cloud, name: str) -> subprocess.Popen:  # noqa: ANN001
    log = open(cloud.state_dir / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the worker
    cmd = [sys.executable, "-m", "kilocloud", "worker", "--workers", "2"]
    cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def _wait_ready(cloud, names: list[str]) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    for name in names:
        while b"taking jobs" not in (cloud.state_dir / f"{name}.log").read_bytes():
            assert time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.2)


def _tasks(api: ImageAPI, image_ids: list[str]) -> list[dict]:
    found = []
    for image_id in image_ids:
        listed = api.http.get(f"/v2/images/{image_id}/tasks").json()["tasks"]
        found.append(listed[-1] if listed else {"status": "none"})
    return found


def test_sigkilled_workers_imports_finish_elsewhere(cloud_factory, throwaway_database, tmp_path):
    data = os.urandom(4 << 20)
    (tmp_path / "disk.raw").write_bytes(data)
    server, url = serve(tmp_path)
    cloud = cloud_factory(throwaway_database("postgresql"), _config(TOPIC))
    workers = [_worker(cloud, "worker-a"), _worker(cloud, "worker-b")]
    try:
        _wait_ready(cloud, ["worker-a", "worker-b"])
        time.sleep(1)  # the consumers are declared just after the log line
        api = ImageAPI(cloud, cloud.admin_token())
        ids = []
        for i in range(6):
            image = api.create(name=f"w{i}", disk_format="raw")
            body = {"method": {"name": "web-download", "uri": f"{url}/slow/disk.raw"}}
            resp = api.http.post(f"/v2/images/{image['id']}/import", json=body)
            assert resp.status_code == 202, resp.text
            ids.append(image["id"])
        deadline = time.monotonic() + 30
        while not any(t["status"] == "processing" for t in _tasks(api, ids)):
            assert time.monotonic() < deadline, "no task started"
            time.sleep(0.2)
        time.sleep(1)
        workers[0].send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 120
        while any(t["status"] in ("pending", "processing") for t in _tasks(api, ids)):
            assert time.monotonic() < deadline, _tasks(api, ids)
            time.sleep(0.5)
        ended = _tasks(api, ids)
        print("task outcomes:", [(t["status"], t.get("message", "")[:40]) for t in ended])
        assert {t["status"] for t in ended} == {"success"}, ended
        digest = hashlib.sha512(data).hexdigest()
        for image_id in ids:
            image = api.http.get(f"/v2/images/{image_id}").json()
            assert (image["status"], image["os_hash_value"]) == ("active", digest)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(20)
        server.shutdown()
