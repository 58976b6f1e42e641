"""Topics: a namespace apart from queues, with messages, stats, purge and subscriptions."""

from __future__ import annotations

import httpx

# a topic's reserved attributes nobody set, as Zaqar shows them under the default options
RESERVED = {
    "_max_messages_post_size": 262144,
    "_default_message_ttl": 3600,
    "_default_message_delay": 0,
}


def test_topic_lifecycle(raw: httpx.Client, queue_name: str) -> None:
    topic = f"/v2/topics/{queue_name}"
    assert raw.put(topic, json={"purpose": "fan-out"}).status_code == 201
    assert raw.get(topic).json() == RESERVED | {"purpose": "fan-out"}
    listed = raw.get("/v2/topics", params={"marker": queue_name[:-1], "detailed": "true"}).json()
    assert listed["topics"][0] == {
        "name": queue_name,
        "href": f"/v2/topics/{queue_name}",
        "metadata": RESERVED | {"purpose": "fan-out"},
    }
    raw.post(f"{topic}/messages", json={"messages": [{"body": i} for i in range(3)]})
    assert raw.get(f"{topic}/stats").json()["messages"]["total"] == 3
    assert raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]["total"] == 0
    assert raw.post(f"{topic}/purge", json={"resource_types": ["messages"]}).status_code == 204
    assert raw.get(f"{topic}/stats").json()["messages"]["total"] == 0
    assert raw.delete(topic).status_code == 204
    assert raw.get(topic).status_code == 404


def test_bad_topic_name_is_400(raw: httpx.Client) -> None:
    resp = raw.put("/v2/topics/" + "t" * 65)
    assert resp.status_code == 400 and "Topic" in resp.json()["description"]
