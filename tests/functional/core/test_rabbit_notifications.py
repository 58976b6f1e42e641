"""With transport_url set, notifications go to RabbitMQ in the oslo.messaging v2 envelope."""

from __future__ import annotations

import json
import time
import uuid

import kombu
import pytest

RABBIT = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def notifications_queue():
    """A throwaway queue bound to the `notifications.info` topic of oslo.messaging."""
    name = f"kc-test-{uuid.uuid4().hex[:8]}"
    with kombu.Connection(RABBIT) as conn:
        exchange = kombu.Exchange("openstack", type="topic", durable=False)
        queue = kombu.Queue(name, exchange, routing_key="notifications.info", auto_delete=True)
        queue(conn.channel()).declare()
        yield conn, queue


def _drain(conn, queue, wanted: str, tries: int = 40) -> dict:
    bound = queue(conn.channel())
    for _ in range(tries):
        message = bound.get(no_ack=True)
        if message is None:
            time.sleep(0.25)
            continue
        envelope = (
            json.loads(message.body) if isinstance(message.body, (str, bytes)) else message.body
        )
        body = json.loads(envelope["oslo.message"])
        if body["event_type"] == wanted:
            return body
    raise AssertionError(f"no {wanted} notification arrived")


def test_project_creation_is_announced_on_rabbitmq(cloud_factory, notifications_queue):
    conn, queue = notifications_queue
    cloud = cloud_factory(
        config={
            "DEFAULT": {"transport_url": "rabbit://guest:guest@127.0.0.1:5672/"},
        }
    )
    project = cloud.connect().identity.create_project(name=f"rabbit-{uuid.uuid4().hex[:6]}")
    body = _drain(conn, queue, "identity.project.created")
    assert body["publisher_id"].startswith("identity.")
    assert body["priority"] == "INFO"
    assert project.id in json.dumps(body["payload"])
