"""Tasks are durable: an import cut short by a crash runs again once the cloud is back."""

from __future__ import annotations

import hashlib
import time

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import TASK_CONFIG, get, wait_task


def test_import_interrupted_by_a_crash_runs_again_after_restart(cloud_factory, web, disks):
    cloud = cloud_factory(config=TASK_CONFIG)
    api = ImageAPI(cloud, cloud.admin_token())
    image = api.create(name="crash", disk_format="raw")
    body = {"method": {"name": "web-download", "uri": f"{web}/slow/disk.raw"}}
    assert api.http.post(f"/v2/images/{image['id']}/import", json=body).status_code == 202
    deadline = time.monotonic() + 30
    while (
        api.http.get(f"/v2/images/{image['id']}/tasks").json()["tasks"][0]["status"] != "processing"
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(1)
    cloud.process.kill()
    cloud.process.wait()
    cloud.start()
    api = ImageAPI(cloud, cloud.admin_token())
    task = wait_task(api, image["id"], timeout=60)
    assert task["status"] == "success", task
    after = get(api, image["id"])
    digest = hashlib.sha512((disks / "disk.raw").read_bytes()).hexdigest()
    assert (after["status"], after["os_hash_value"]) == ("active", digest)
    assert "os_glance_import_task" not in after
