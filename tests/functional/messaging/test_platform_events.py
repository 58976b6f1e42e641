"""Platform notifications land in the owning project's `notifications` queue."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx


def events(
    raw: httpx.Client, wanted: str, about: Callable[[dict], bool], timeout: float = 30
) -> list[dict]:
    """Notifications of type `wanted` in the notifications queue that `about` accepts.

    Waits for one to arrive: earlier tests leave events of the same type in the queue, and
    delivery into it is asynchronous, so an event of the type alone proves nothing yet.
    """
    deadline = time.monotonic() + timeout
    while True:
        listed = raw.get("/v2/queues/notifications/messages", params={"echo": "true", "limit": 20})
        found = []
        while listed.json()["messages"]:
            found += [m["body"] for m in listed.json()["messages"]]
            listed = raw.get(listed.json()["links"][0]["href"].removeprefix("/"))
        hits = [b for b in found if b["event_type"] == wanted and about(b["payload"])]
        if hits or time.monotonic() > deadline:
            return hits
        time.sleep(0.2)


def test_queue_creation_is_announced(raw: httpx.Client, queue_name: str) -> None:
    assert raw.put(f"/v2/queues/{queue_name}").status_code == 201
    hits = events(raw, "queue.create", lambda p: p["name"] == queue_name)
    assert hits and hits[0]["publisher_id"].startswith("messaging.")
    assert set(hits[0]) >= {"event_type", "payload", "publisher_id", "timestamp"}


def test_image_events_reach_the_owner_project(member, raw: httpx.Client) -> None:  # noqa: ANN001
    conn = member.connect()
    image = conn.image.create_image(
        name="evented", data=b"\1" * 2048, disk_format="raw", container_format="bare"
    )
    active = events(raw, "image.activate", lambda p: p["id"] == image.id)
    assert active and active[0]["payload"]["owner"] == member.project_id


def test_download_and_sharing_reach_the_image_owner(cloud, member, raw: httpx.Client) -> None:  # noqa: ANN001
    conn = member.connect()
    image = conn.image.create_image(
        name="shared", data=b"\2" * 3000, disk_format="raw", container_format="bare"
    )
    assert conn.image.download_image(image).content == b"\2" * 3000
    other = cloud.new_project_user()
    conn.image.add_member(image, member_id=other.project_id)
    sent = events(raw, "image.send", lambda p: p["image_id"] == image.id)
    assert sent and sent[0]["payload"]["bytes_sent"] == 3000
    payload = sent[0]["payload"]
    assert payload["owner_id"] == payload["receiver_tenant_id"] == member.project_id
    assert payload["receiver_user_id"] == member.user_id and payload["destination_ip"]
    offered = events(raw, "image.member.create", lambda p: p["image_id"] == image.id)
    assert offered and offered[0]["payload"]["member_id"] == other.project_id
    assert offered[0]["payload"]["status"] == "pending"
    assert offered[0]["payload"]["owner"] == member.project_id
