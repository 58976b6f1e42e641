"""Network notifications: Neutron's event types and payloads, also in the project's queue."""

from __future__ import annotations

import time
import uuid

import httpx

from tests.functional.network.conftest import NetAPI


def _events(cloud, token: str, until: str) -> list[dict]:  # noqa: ANN001
    """The caller's notifications, once an event of type `until` is among them."""
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    deadline = time.monotonic() + 20
    seen: list[dict] = []
    while time.monotonic() < deadline:
        seen, url = [], f"{cloud.url}/messaging/v2/queues/notifications/messages?limit=20"
        while url:
            body = httpx.get(url, headers=headers).json()
            seen += [m["body"] for m in body.get("messages", [])]
            nxt = [link["href"] for link in body.get("links", []) if link["rel"] == "next"]
            url = f"{cloud.url}/messaging{nxt[0]}" if nxt and body.get("messages") else None
        if any(e["event_type"] == until for e in seen):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"{until} never arrived; saw {[e['event_type'] for e in seen]}")


def test_network_port_events_reach_the_projects_queue(cloud) -> None:  # noqa: ANN001
    user = cloud.new_project_user()
    token = user.token()
    api = NetAPI(cloud, token)
    network = api.create("network", name="noisy")
    api.create("subnet", network_id=network["id"], ip_version=4, cidr="10.90.0.0/24")
    port = api.create("port", network_id=network["id"])
    assert api.http.put(f"/ports/{port['id']}", json={"port": {"name": "p"}}).status_code == 200
    assert api.http.delete(f"/ports/{port['id']}").status_code == 204
    events = _events(cloud, token, until="port.delete.end")
    kinds = [e["event_type"] for e in events]
    expected = ["network.create.end", "subnet.create.end", "port.create.end"]
    expected += ["port.update.end", "port.delete.end"]
    assert [k for k in kinds if k in expected] == expected
    created = next(e for e in events if e["event_type"] == "network.create.end")
    assert created["publisher_id"].startswith("network.")
    assert created["payload"]["network"]["id"] == network["id"]
    deleted = next(e for e in events if e["event_type"] == "port.delete.end")["payload"]
    assert deleted["port_id"] == port["id"] and deleted["port"]["name"] == "p"
    assert "network.changed" not in kinds
