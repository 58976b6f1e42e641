"""Platform notifications arrive in the project's queue in the order they happened."""

from __future__ import annotations

import time
import uuid

import httpx


def test_image_lifecycle_events_are_queued_in_order(cloud):
    user = cloud.new_project_user("member")
    token = user.token()
    image_api = f"{cloud.url}/image/v2/images"
    headers = {"X-Auth-Token": token}
    image = httpx.post(
        image_api,
        json={"name": "ordered", "disk_format": "raw", "container_format": "bare"},
        headers=headers,
    ).json()
    upload = httpx.put(
        f"{image_api}/{image['id']}/file",
        content=b"x" * 4096,
        headers=headers | {"Content-Type": "application/octet-stream"},
    )
    assert upload.status_code == 204
    wanted = ["image.create", "image.prepare", "image.upload", "image.activate"]
    queue = f"{cloud.url}/messaging/v2/queues/notifications/messages"
    params = {"echo": "true", "limit": 20}
    msg_headers = headers | {"Client-ID": str(uuid.uuid4())}
    for _ in range(50):
        listed = httpx.get(queue, params=params, headers=msg_headers)
        events = [
            m["body"]["event_type"]
            for m in (listed.json()["messages"] if listed.status_code == 200 else [])
            if m["body"]["payload"].get("id") == image["id"]
        ]
        if len(events) >= len(wanted):
            break
        time.sleep(0.1)
    assert events == wanted
