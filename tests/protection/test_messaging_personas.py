"""The messaging policy by persona: secure-RBAC defaults, a project reader reads and never
writes (Zaqar's legacy admin_or_owner let it create queues and post messages)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.functional.messaging.sinks import Webhook
from tests.functional.messaging.zaqar import new_client_id

PERSONAS = ["admin", "member", "reader", "other"]


@pytest.fixture(scope="module")
def world(cloud):  # noqa: ANN001, ANN201
    """A project with a member and a reader, another project, and a queue with one message."""
    member = cloud.new_project_user("member")
    reader = cloud.new_project_user("reader")
    cloud.connect().identity.assign_project_role_to_user(
        member.project_id, reader.user_id, cloud.connect().identity.find_role("reader")
    )
    tokens = {
        "admin": cloud.token("admin", None, "admin"),
        "member": member.token(),
        "reader": cloud.token(reader.user_name, reader.password, member.project_name),
        "other": cloud.new_project_user("member").token(),
    }
    queue = f"q-{uuid.uuid4().hex[:8]}"
    clients = {}
    for persona, token in tokens.items():
        headers = {"X-Auth-Token": token, "Client-ID": new_client_id()}
        if persona == "admin":  # acting in the member's project, as an admin may
            headers["X-Project-Id"] = member.project_id
        clients[persona] = httpx.Client(
            base_url=f"{cloud.url}/messaging/v2/queues/{queue}", headers=headers, timeout=30
        )
    assert clients["member"].post("/messages", json={"messages": [{"body": 1}]}).is_success
    return clients


READ = dict(admin=200, member=200, reader=200, other=200)  # other: its own (empty) queue
WRITE = dict(admin=201, member=201, reader=403, other=201)


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_by_persona(world, persona: str) -> None:  # noqa: ANN001
    resp = world[persona].get("/messages", params={"echo": "true"})
    assert resp.status_code in (READ[persona], 204), resp.text
    assert world[persona].get("/stats").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_posting_by_persona(world, persona: str) -> None:  # noqa: ANN001
    resp = world[persona].post("/messages", json={"messages": [{"body": persona}]})
    assert resp.status_code == WRITE[persona], resp.text


def test_reader_writes_nothing(world, cloud) -> None:  # noqa: ANN001
    reader = world["reader"]
    queue_url = str(reader.base_url).rstrip("/")
    hook = Webhook()
    try:
        refused = [
            reader.put(queue_url, json={}),
            reader.post("/claims", json={"ttl": 60, "grace": 60}),
            reader.post("/subscriptions", json={"subscriber": hook.url, "ttl": 600}),
            reader.post("/purge", json={}),
            reader.delete(queue_url),
        ]
        assert [r.status_code for r in refused] == [403] * 5, [r.text for r in refused]
        assert set(refused[0].json()) == {"title", "description"}
        world["member"].post("/messages", json={"messages": [{"body": "after"}]})
        with pytest.raises(Exception):  # noqa: B017 - queue.Empty: nothing was delivered
            hook.next(timeout=2)
    finally:
        hook.close()
    assert world["member"].get("/stats").json()["messages"]["total"] >= 1
