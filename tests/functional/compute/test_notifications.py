"""Versioned instance notifications reach the server's project's platform-events queue."""

from __future__ import annotations

import uuid

import httpx

from tests.functional.compute.conftest import ComputeAPI, make_image, wait_status
from tests.functional.messaging.test_platform_events import events


def test_instance_create_and_delete_events_reach_the_project(fake_cloud) -> None:
    member = fake_cloud.new_project_user("member")
    token = member.token()
    api = ComputeAPI(fake_cloud, token)
    image = make_image(fake_cloud, visibility="public")
    body = {"server": {"name": "evented", "imageRef": image, "flavorRef": "1"}}
    server_id = api.post("/servers", body).json()["server"]["id"]
    wait_status(api, server_id, "ACTIVE")
    api.delete(f"/servers/{server_id}")
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    with httpx.Client(base_url=f"{fake_cloud.url}/messaging", headers=headers, timeout=30) as raw:

        def about(p: dict) -> bool:
            return p["nova_object.data"]["uuid"] == server_id

        for event_type in ("instance.create.start", "instance.create.end", "instance.delete.end"):
            hits = events(raw, event_type, about)
            assert hits, event_type
        data = hits[0]["payload"]["nova_object.data"]
        assert data["tenant_id"] == member.project_id and data["state"] == "deleted"
        assert hits[0]["publisher_id"].startswith("compute.")
