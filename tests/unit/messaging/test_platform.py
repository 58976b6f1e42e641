"""Platform notifications become messages in the owning project's queue."""

from __future__ import annotations

import types

import pytest

from kilocloud.messaging.platform import PlatformEvents, owner


@pytest.mark.parametrize(
    ("event", "payload", "project"),
    [
        ("image.activate", {"id": "i1", "owner": "p1"}, "p1"),
        ("identity.project.created", {"resource_info": "p2"}, "p2"),
        ("image.member.create", {"project_id": "p3"}, "p3"),
        ("image.send", {"owner_id": "p4", "receiver_tenant_id": "p5", "image_id": "i"}, "p4"),
        ("image.member.create", {"image_id": "i", "member_id": "p7", "owner": "p6"}, "p6"),
        ("identity.user.created", {"resource_info": "u1"}, None),
        ("image.delete", "not a dict", None),
    ],
)
def test_owner(event: str, payload: object, project: str | None) -> None:
    assert owner(event, payload) == project


class Recorder:
    def __init__(self, per_post: int = 20, refuse: str = "") -> None:
        self.posts: list[tuple] = []
        self.opts = types.SimpleNamespace(max_messages_per_page=per_post)
        self.refuse = refuse

    async def post(self, caller, queue, doc, size) -> list[str]:  # noqa: ANN001
        if any(m["body"]["message_id"] == self.refuse for m in doc["messages"]):
            raise ValueError("too large")
        self.posts.append((caller.project, queue, doc))
        return ["id"]


def events(types_filter: list[str], recorder: Recorder | None = None) -> tuple:
    recorder = recorder or Recorder()
    opts = types.SimpleNamespace(
        enabled=True, queue_name="notifications", event_types=types_filter, message_ttl=600
    )
    conf = types.SimpleNamespace(platform_notifications=opts)
    return PlatformEvents(types.SimpleNamespace(messages=recorder), conf), recorder  # type: ignore[arg-type]


async def test_notification_is_posted_as_oslo_messaging_body() -> None:
    platform, recorder = events([])
    note = {
        "event_type": "image.activate",
        "payload": {"id": "i1", "owner": "p1"},
        "publisher_id": "image.localhost",
        "timestamp": "2026-11-22 02:00:00",
        "priority": "INFO",
        "message_id": "n1",
    }
    await platform.receive([note])
    ((project, queue, doc),) = recorder.posts
    assert (project, queue) == ("p1", "notifications")
    assert doc["messages"][0]["body"] == note and doc["messages"][0]["ttl"] == 600


async def test_event_type_filter() -> None:
    platform, recorder = events(["image.*"])
    await platform.receive(
        [{"event_type": "identity.project.created", "payload": {"resource_info": "p"}}]
    )
    await platform.receive([{"event_type": "image.create", "payload": {"owner": "p"}}])
    assert [p[0] for p in recorder.posts] == ["p"] and len(recorder.posts) == 1


def _note(n: int, project: str) -> dict:
    return {"event_type": "image.update", "payload": {"owner": project}, "message_id": f"n{n}"}


async def test_burst_is_posted_once_per_project_in_order() -> None:
    platform, recorder = events([], Recorder(per_post=2))
    await platform.receive([_note(1, "a"), _note(2, "b"), _note(3, "a"), _note(4, "a")])
    posted = [
        (p, [m["body"]["message_id"] for m in doc["messages"]]) for p, _, doc in recorder.posts
    ]
    assert posted == [("a", ["n1", "n3"]), ("a", ["n4"]), ("b", ["n2"])]


async def test_one_unstorable_notification_does_not_lose_the_rest_of_its_post() -> None:
    platform, recorder = events([], Recorder(refuse="n2"))
    await platform.receive([_note(1, "a"), _note(2, "a"), _note(3, "a")])
    posted = [m["body"]["message_id"] for _, _, doc in recorder.posts for m in doc["messages"]]
    assert posted == ["n1", "n3"]
