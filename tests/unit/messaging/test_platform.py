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
    def __init__(self) -> None:
        self.posts: list[tuple] = []

    async def post(self, caller, queue, doc, size) -> list[str]:  # noqa: ANN001
        self.posts.append((caller.project, queue, doc))
        return ["id"]


def events(types_filter: list[str]) -> tuple[PlatformEvents, Recorder]:
    recorder = Recorder()
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
    await platform.receive(note)
    ((project, queue, doc),) = recorder.posts
    assert (project, queue) == ("p1", "notifications")
    assert doc["messages"][0]["body"] == note and doc["messages"][0]["ttl"] == 600


async def test_event_type_filter() -> None:
    platform, recorder = events(["image.*"])
    await platform.receive(
        {"event_type": "identity.project.created", "payload": {"resource_info": "p"}}
    )
    await platform.receive({"event_type": "image.create", "payload": {"owner": "p"}})
    assert [p[0] for p in recorder.posts] == ["p"] and len(recorder.posts) == 1
