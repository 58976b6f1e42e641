"""The image service layer on SQLite, watched through the notifier: send and member events."""

from __future__ import annotations

import pytest

from kilocloud.core.context import RequestContext
from kilocloud.deps import Services
from kilocloud.image.service.layer import ImageService
from kilocloud.migrations import upgrade
from kilocloud.opts import load_conf

OWNER = RequestContext(request_id="r1", user_id="u1", project_id="p1", roles=["member", "reader"])
OTHER = RequestContext(request_id="r2", user_id="u2", project_id="p2", roles=["member", "reader"])


@pytest.fixture
async def image_service(tmp_path):
    conf = load_conf([], {"state_dir": str(tmp_path)})
    services = Services.create(conf, ("image",))
    svc = ImageService(services)
    await upgrade(services.db)
    seen: list[dict] = []

    async def listen(messages: list[dict]) -> None:
        seen.extend(messages)

    services.notifier.subscribe(listen)
    yield svc, seen, services
    await services.shutdown()


async def _chunks(*parts: bytes):
    for part in parts:
        yield part


async def test_download_emits_image_send_with_bytes_sent(image_service):
    svc, seen, services = image_service
    image = await svc.images.create(OWNER, {"disk_format": "raw", "container_format": "bare"})
    await svc.data.upload(OWNER, image.id, _chunks(b"a" * 1000, b"b" * 24))
    data = await svc.downloads.locate(OWNER, image.id)
    assert (
        b"".join([c async for c in svc.downloads.stream(OWNER, data, 0, 1024)])
        == b"a" * 1000 + b"b" * 24
    )
    await services.notifier.drain()
    sent = [m["payload"] for m in seen if m["event_type"] == "image.send"]
    assert sent == [
        {
            "receiver_tenant_id": "p1",
            "receiver_user_id": "u1",
            "destination_ip": None,
            "bytes_sent": 1024,
            "image_id": image.id,
            "owner_id": "p1",
        }
    ]


async def test_download_closed_early_emits_image_send_at_error(image_service):
    svc, seen, services = image_service
    image = await svc.images.create(OWNER, {"disk_format": "raw", "container_format": "bare"})
    size = 64 << 20  # several of the file store's reads
    await svc.data.upload(OWNER, image.id, _chunks(*[b"a" * (1 << 20)] * 64))
    chunks = svc.downloads.stream(OWNER, await svc.downloads.locate(OWNER, image.id), 0, size)
    first = await anext(chunks)
    await anext(chunks)
    await chunks.aclose()
    await services.notifier.drain()
    [send] = [m for m in seen if m["event_type"] == "image.send"]
    assert send["priority"] == "ERROR" and send["payload"]["bytes_sent"] == len(first)


async def test_membership_changes_emit_member_events(image_service):
    svc, seen, services = image_service
    image = await svc.images.create(OWNER, {"visibility": "shared"})
    await svc.members.add(OWNER, image.id, "p2")
    await svc.members.update(OTHER, image.id, "p2", "accepted")
    await svc.members.delete(OWNER, image.id, "p2")
    await services.notifier.drain()
    members = [m for m in seen if m["event_type"].startswith("image.member.")]
    assert [m["event_type"] for m in members] == [
        "image.member.create",
        "image.member.update",
        "image.member.delete",
    ]
    assert members[1]["payload"]["status"] == "accepted"
    assert members[2]["payload"]["deleted"] is True
    assert members[2]["payload"]["deleted_at"].endswith("Z")
    assert members[0]["payload"]["deleted_at"] is None
    assert {m["payload"]["member_id"] for m in members} == {"p2"}
    assert {m["payload"]["owner"] for m in members} == {"p1"}
    glance_keys = {"image_id", "member_id", "status", "created_at", "updated_at", "deleted"}
    assert all(glance_keys | {"deleted_at"} <= set(m["payload"]) for m in members)


async def test_owner_cannot_accept_and_member_cannot_add(image_service):
    from kilocloud.core.errors import Forbidden

    svc, _, _ = image_service
    image = await svc.images.create(OWNER, {"visibility": "shared"})
    await svc.members.add(OWNER, image.id, "p2")
    with pytest.raises(Forbidden):
        await svc.members.update(OWNER, image.id, "p2", "accepted")
    with pytest.raises(Forbidden):
        await svc.members.add(OTHER, image.id, "p3")
