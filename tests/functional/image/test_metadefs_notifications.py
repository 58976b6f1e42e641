"""metadef_namespace.* notifications, with Glance's event types, reach the owner's queue."""

from __future__ import annotations

import time
import uuid

import httpx

NS = "/v2/metadefs/namespaces"


def _events(cloud, token: str, namespace: str, until: str) -> list[dict]:
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found, url = [], f"{cloud.url}/messaging/v2/queues/notifications/messages?limit=20"
        while url:
            body = httpx.get(url, headers=headers).json()
            found += [m["body"] for m in body.get("messages", [])]
            nxt = [link["href"] for link in body.get("links", []) if link["rel"] == "next"]
            url = f"{cloud.url}/messaging{nxt[0]}" if nxt and body.get("messages") else None
        mine = [e for e in found if e["payload"].get("namespace_old") == namespace]
        if any(e["event_type"] == until for e in mine):
            return mine
        time.sleep(0.2)
    raise AssertionError(f"{until} never arrived; saw {[e['event_type'] for e in mine]}")


def test_namespace_life_emits_glance_events(cloud, api):
    name = f"OS::Noisy::{uuid.uuid4().hex[:6]}"
    assert api.http.post(NS, json={"namespace": name, "tags": [{"name": "t"}]}).status_code == 201
    changes = {"namespace": name, "description": "now described", "visibility": "public"}
    assert api.http.put(f"{NS}/{name}", json=changes).status_code == 200
    assert api.http.delete(f"{NS}/{name}/tags").status_code == 204
    assert api.http.delete(f"{NS}/{name}").status_code == 204
    events = _events(cloud, cloud.admin_token(), name, until="metadef_namespace.delete")
    kinds = [e["event_type"] for e in events]
    assert kinds == [
        "metadef_namespace.create",
        "metadef_namespace.update",
        "metadef_namespace.delete_tags",
        "metadef_namespace.delete",
    ]
    created, updated = events[0]["payload"], events[1]["payload"]
    assert created["visibility"] == "private" and created["deleted"] is False
    assert updated["description"] == "now described" and updated["visibility"] == "public"
    assert events[-1]["payload"]["deleted"] is True and events[-1]["payload"]["deleted_at"]
    assert events[0]["publisher_id"].startswith("image.")
