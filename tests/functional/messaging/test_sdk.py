"""openstacksdk's messaging proxy through the clouds.yaml `kilocloud up` writes."""

from __future__ import annotations

import httpx
import openstack
import pytest


def test_version_document_links_to_v2_below_the_mount(messaging_url: str) -> None:
    resp = httpx.get(messaging_url + "/")
    assert resp.json()["versions"][0]["links"] == [{"href": f"{messaging_url}/v2/", "rel": "self"}]


def test_sdk_posts_and_lists_messages_through_clouds_yaml(
    cloud,  # noqa: ANN001
    queue_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(cloud.clouds_yaml))
    conn = openstack.connect(cloud="kilocloud")
    conn.message.create_queue(name=queue_name)
    conn.message.post_message(queue_name, [{"body": {"k": 1}, "ttl": 300}])
    assert [q.name for q in conn.message.queues() if q.name == queue_name] == [queue_name]
    conn.message.delete_queue(queue_name)
