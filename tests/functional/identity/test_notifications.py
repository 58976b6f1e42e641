"""Identity changes are announced with Keystone's event types (on RabbitMQ here)."""

from __future__ import annotations

import json
import time
import uuid

import kombu
import pytest

RABBIT = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def events():
    """A function returning the identity event types published so far on a fresh queue."""
    name = f"kc-idn-{uuid.uuid4().hex[:8]}"
    with kombu.Connection(RABBIT) as conn:
        exchange = kombu.Exchange("openstack", type="topic", durable=False)
        queue = kombu.Queue(name, exchange, routing_key="notifications.info", auto_delete=True)
        bound = queue(conn.channel())
        bound.declare()
        seen: list[tuple[str, str]] = []

        def collect(wanted: set[str], tries: int = 40) -> list[tuple[str, str]]:
            for _ in range(tries):
                message = bound.get(no_ack=True)
                if message is None:
                    if wanted <= {e for e, _ in seen}:
                        break
                    time.sleep(0.25)
                    continue
                envelope = message.body
                if isinstance(envelope, (str, bytes)):
                    envelope = json.loads(envelope)
                body = json.loads(envelope["oslo.message"])
                seen.append((body["event_type"], json.dumps(body["payload"])))
            return seen

        yield collect


def test_crud_changes_emit_keystones_event_types(cloud_factory, events):
    cloud = cloud_factory(
        config={"DEFAULT": {"transport_url": "rabbit://guest:guest@127.0.0.1:5672/"}}
    )
    admin = cloud.connect()
    project = admin.identity.create_project(name=f"n-{uuid.uuid4().hex[:6]}")
    user = admin.identity.create_user(name=f"n-{uuid.uuid4().hex[:6]}")
    admin.identity.assign_project_role_to_user(project, user, admin.identity.find_role("reader"))
    admin.identity.update_user(user, description="changed")
    admin.identity.delete_user(user)
    admin.identity.delete_project(project)
    wanted = {
        "identity.project.created",
        "identity.user.created",
        "identity.role_assignment.created",
        "identity.user.updated",
        "identity.user.deleted",
        "identity.project.deleted",
    }
    seen = events(wanted)
    assert wanted <= {event for event, _ in seen}
    deleted = [payload for event, payload in seen if event == "identity.user.deleted"]
    # other clouds may share the broker: this user's deletion must be among those seen
    assert any(user.id in payload for payload in deleted)
