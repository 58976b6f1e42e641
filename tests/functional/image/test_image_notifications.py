"""Image notifications with Glance's event types and payloads, read from the owner's queue."""

from __future__ import annotations

import time
import uuid

import httpx


def _events(cloud, token: str, image_id: str, until: str) -> list[dict]:
    """Notifications about `image_id` in the caller's notifications queue, once `until` arrived."""
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found, url = [], f"{cloud.url}/messaging/v2/queues/notifications/messages?limit=20"
        while url:
            body = httpx.get(url, headers=headers).json() if url else {}
            found += [m["body"] for m in body.get("messages", [])]
            nxt = [link["href"] for link in body.get("links", []) if link["rel"] == "next"]
            url = f"{cloud.url}/messaging{nxt[0]}" if nxt and body.get("messages") else None
        mine = [e for e in found if _about(e, image_id)]
        if any(e["event_type"] == until for e in mine):
            return mine
        time.sleep(0.2)
    raise AssertionError(f"{until} never arrived; saw {[e['event_type'] for e in mine]}")


def _about(event: dict, image_id: str) -> bool:
    payload = event["payload"]
    return payload.get("id") == image_id or payload.get("image_id") == image_id


def test_life_of_an_image_emits_glance_events(cloud):
    user = cloud.new_project_user()
    token = user.token()
    http = httpx.Client(base_url=f"{cloud.url}/image", headers={"X-Auth-Token": token})
    body = {"name": "noisy", "disk_format": "raw", "container_format": "bare", "k": "v"}
    image = http.post("/v2/images", json=body).json()
    url = f"/v2/images/{image['id']}"
    octets = {"Content-Type": "application/octet-stream"}
    assert http.put(f"{url}/file", content=b"d" * 4096, headers=octets).status_code == 204
    ctype = {"Content-Type": "application/openstack-images-v2.1-json-patch"}
    changes = [{"op": "replace", "path": "/name", "value": "renamed"}]
    assert http.patch(url, json=changes, headers=ctype).status_code == 200
    assert http.get(f"{url}/file").content == b"d" * 4096
    assert http.delete(url).status_code == 204
    events = _events(cloud, token, image["id"], until="image.delete")
    kinds = [e["event_type"] for e in events]
    expected = ["image.create", "image.prepare", "image.upload", "image.activate"]
    # image.send (owner_id) reaches this queue too; it is left out of the order checked here
    expected += ["image.update", "image.delete"]
    assert [k for k in kinds if k in expected] == expected
    created = next(e for e in events if e["event_type"] == "image.create")
    assert created["publisher_id"].startswith("image.")
    payload = created["payload"]
    assert payload["owner"] == user.project_id and payload["properties"] == {"k": "v"}
    assert payload["is_public"] is False and payload["visibility"] == "shared"
    activated = next(e for e in events if e["event_type"] == "image.activate")["payload"]
    assert activated["status"] == "active" and activated["size"] == 4096
    assert activated["os_hash_algo"] == "sha512" and activated["checksum"]
    deleted = next(e for e in events if e["event_type"] == "image.delete")["payload"]
    assert deleted["deleted"] is True and deleted["status"] == "deleted"
