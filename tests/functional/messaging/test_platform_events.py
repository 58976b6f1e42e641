"""Platform notifications land in the owning project's `notifications` queue."""

from __future__ import annotations

import time

import httpx


def events(raw: httpx.Client, wanted: str, timeout: float = 30) -> list[dict]:
    """Notification bodies of type `wanted` in the notifications queue, waiting for one."""
    deadline = time.monotonic() + timeout
    while True:
        listed = raw.get("/v2/queues/notifications/messages", params={"echo": "true", "limit": 20})
        found, marker = [], None
        while listed.json()["messages"]:
            found += [m["body"] for m in listed.json()["messages"]]
            marker = listed.json()["links"][0]["href"].removeprefix("/")
            listed = raw.get(marker)
        hits = [b for b in found if b["event_type"] == wanted]
        if hits or time.monotonic() > deadline:
            return hits
        time.sleep(0.2)


def test_queue_creation_is_announced(raw: httpx.Client, queue_name: str) -> None:
    assert raw.put(f"/v2/queues/{queue_name}").status_code == 201
    hits = [e for e in events(raw, "queue.create") if e["payload"]["name"] == queue_name]
    assert hits and hits[0]["publisher_id"].startswith("messaging.")
    assert set(hits[0]) >= {"event_type", "payload", "publisher_id", "timestamp"}


def test_image_events_reach_the_owner_project(member, raw: httpx.Client) -> None:  # noqa: ANN001
    conn = member.connect()
    image = conn.image.create_image(
        name="evented", data=b"\1" * 2048, disk_format="raw", container_format="bare"
    )
    active = [e for e in events(raw, "image.activate") if e["payload"]["id"] == image.id]
    assert active and active[0]["payload"]["owner"] == member.project_id
