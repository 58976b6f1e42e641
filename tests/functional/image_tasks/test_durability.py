"""Tasks are durable: a crash of the process running one ends it in failure after a restart."""

from __future__ import annotations

import os
import time

from tests.functional.image.conftest import ImageAPI
from tests.functional.image_tasks.conftest import TASK_CONFIG, get, wait_task


def test_import_interrupted_by_a_crash_ends_in_failure_after_restart(cloud_factory, web):
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
    assert task["status"] == "failure" and "Interrupted" in task["message"]
    after = get(api, image["id"])
    assert after["status"] == "queued" and after["checksum"] is None
    assert "os_glance_import_task" not in after
    stored = os.listdir(cloud.state_dir / "images" / "file")
    assert not [n for n in stored if n.startswith(image["id"])]
    assert api.http.get(f"/v2/tasks/{task['id']}").json()["status"] == "failure"
