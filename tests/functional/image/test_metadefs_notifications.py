"""metadef_* notifications with Glance's event types: namespace events reach the owner's
queue, and all of them the broker."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import kombu
import pytest

from .conftest import ImageAPI

NS = "/v2/metadefs/namespaces"
RABBIT = "amqp://guest:guest@127.0.0.1:5672//"


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


@pytest.fixture
def rabbit_queue():
    """A throwaway queue bound to oslo.messaging's `notifications.info` topic."""
    name = f"kc-md-{uuid.uuid4().hex[:8]}"
    with kombu.Connection(RABBIT) as conn:
        exchange = kombu.Exchange("openstack", type="topic", durable=False)
        queue = kombu.Queue(name, exchange, routing_key="notifications.info", auto_delete=True)
        queue(conn.channel()).declare()
        yield conn, queue


def _drain(conn, queue, namespace: str, until: str) -> list[dict]:
    bound, seen = queue(conn.channel()), []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        message = bound.get(no_ack=True)
        if message is None:
            time.sleep(0.1)
            continue
        envelope = message.body if isinstance(message.body, dict) else json.loads(message.body)
        body = json.loads(envelope["oslo.message"])
        if body["payload"].get("namespace") == namespace:
            seen.append(body)
            if body["event_type"] == until:
                return seen
    raise AssertionError(f"{until} never arrived; saw {[e['event_type'] for e in seen]}")


def test_contents_events_go_to_the_broker(cloud_factory, rabbit_queue):
    cloud = cloud_factory(
        config={"DEFAULT": {"transport_url": "rabbit://guest:guest@127.0.0.1:5672/"}}
    )
    api = ImageAPI(cloud, cloud.admin_token())
    name = f"OS::Broker::{uuid.uuid4().hex[:6]}"
    url = f"{NS}/{name}"
    assert api.http.post(NS, json={"namespace": name}).status_code == 201
    prop = {"name": "p", "title": "P", "type": "string"}
    steps = [
        api.http.post(f"{url}/properties", json=prop),
        api.http.put(f"{url}/properties/p", json={**prop, "name": "q"}),
        api.http.delete(f"{url}/properties/q"),
        api.http.post(f"{url}/objects", json={"name": "o"}),
        api.http.put(f"{url}/objects/o", json={"name": "o", "description": "d"}),
        api.http.delete(f"{url}/objects/o"),
        api.http.post(f"{url}/tags/t"),
        api.http.put(f"{url}/tags/t", json={"name": "u"}),
        api.http.delete(f"{url}/tags/u"),
        api.http.post(f"{url}/resource_types", json={"name": "OS::Glance::Image"}),
        api.http.delete(f"{url}/resource_types/OS::Glance::Image"),
        api.http.delete(url),
    ]
    assert all(r.status_code < 300 for r in steps), [r.text for r in steps]
    conn, queue = rabbit_queue
    events = _drain(conn, queue, name, until="metadef_namespace.delete")
    assert [e["event_type"] for e in events] == [
        "metadef_namespace.create",
        *(
            f"metadef_{kind}.{op}"
            for kind in ("property", "object", "tag")
            for op in ("create", "update", "delete")
        ),
        "metadef_resource_type.create",
        "metadef_resource_type.delete",
        "metadef_namespace.delete",
    ]
    renamed = events[2]["payload"]
    assert (renamed["name"], renamed["name_old"]) == ("q", "p")
    assert events[5]["payload"]["description"] == "d"
