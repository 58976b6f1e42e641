"""task.* and image.import.* notifications, read from the owner's notifications queue."""

from __future__ import annotations

import time
import uuid

import httpx

from tests.functional.image_tasks.conftest import wait_task


def _events(cloud, token: str, until: str) -> list[dict]:  # noqa: ANN001
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    url = f"{cloud.url}/messaging/v2/queues/notifications/messages?echo=true&limit=20"
    deadline = time.monotonic() + 20
    seen: list[dict] = []
    while time.monotonic() < deadline:
        body = httpx.get(url, headers=headers).json() if url else {}
        seen += [m["body"] for m in body.get("messages", [])]
        nxt = [link["href"] for link in body.get("links", []) if link["rel"] == "next"]
        if nxt and body.get("messages"):
            url = f"{cloud.url}/messaging{nxt[0]}"
        if any(e["event_type"] == until for e in seen):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{until} never arrived; saw {[e['event_type'] for e in seen]}")


def test_import_emits_task_and_import_events(task_cloud, web):
    user = task_cloud.new_project_user("member")
    token = user.token()
    http = httpx.Client(base_url=f"{task_cloud.url}/image", headers={"X-Auth-Token": token})
    body = {"name": "noisy-import", "disk_format": "qcow2", "container_format": "bare"}
    image = http.post("/v2/images", json=body).json()
    method = {"method": {"name": "web-download", "uri": f"{web}/disk.qcow2"}}
    assert http.post(f"/v2/images/{image['id']}/import", json=method).status_code == 202
    api = type("A", (), {"http": http})
    assert wait_task(api, image["id"])["status"] == "success"
    events = _events(task_cloud, token, until="image.activate")
    kinds = [e["event_type"] for e in events]
    for kind in ("task.create", "task.run", "task.processing", "task.success"):
        assert kind in kinds
    assert "image.import.start" in kinds and "image.import.success" in kinds
    assert kinds.index("task.create") < kinds.index("task.processing") < kinds.index("task.success")
    success = next(e for e in events if e["event_type"] == "task.success")["payload"]
    assert success["status"] == "success" and success["result"] == {"image_id": image["id"]}
    activated = next(e for e in events if e["event_type"] == "image.activate")["payload"]
    assert activated["disk_format"] == "raw" and activated["owner"] == user.project_id
