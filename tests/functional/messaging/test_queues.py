"""Queue lifecycle through python-zaqarclient and raw HTTP."""

from __future__ import annotations

import httpx
import pytest

PATCH = "application/openstack-messaging-v2.0-json-patch"
# what Zaqar shows for a queue's reserved attributes nobody set, under the default options
RESERVED = {
    "_max_messages_post_size": 262144,
    "_default_message_ttl": 3600,
    "_default_message_delay": 0,
    "_dead_letter_queue": None,
    "_dead_letter_queue_messages_ttl": None,
    "_max_claim_count": None,
    "_enable_encrypt_messages": False,
}


def test_version_document_answers_300(messaging_url: str) -> None:
    resp = httpx.get(messaging_url + "/")
    assert resp.status_code == 300
    assert resp.json()["versions"][0]["id"] == "2"


def test_ping_needs_no_token(messaging_url: str) -> None:
    assert httpx.get(messaging_url + "/v2/ping").status_code == 204
    assert httpx.head(messaging_url + "/v2/ping").status_code == 204


def test_queue_lifecycle_with_zaqarclient(zaqar, queue_name: str) -> None:  # noqa: ANN001
    queue = zaqar.queue(queue_name, force_create=True)
    assert queue.exists()
    queue.metadata(new_meta={"color": "blue", "_default_message_ttl": 120})
    expected = RESERVED | {"color": "blue", "_default_message_ttl": 120}
    assert queue.metadata(force_reload=True) == expected
    queue.metadata(new_meta={"color": "red"})
    assert queue.metadata(force_reload=True) == RESERVED | {"color": "red"}
    listing, count = zaqar.queues(with_count=True)
    assert queue_name in [q.name for q in listing.stream()]
    assert count >= 1
    queue.post({"body": "hello"})
    assert queue.stats["messages"]["free"] == 1
    queue.delete()
    assert not queue.exists()


def test_detailed_listing_pages_with_marker(raw: httpx.Client) -> None:
    prefix = "page-" + raw.headers["Client-ID"][:8]
    for i in range(3):
        assert raw.put(f"/v2/queues/{prefix}-{i}", json={"i": i}).status_code == 201
    first = raw.get("/v2/queues", params={"limit": 2, "detailed": "true", "marker": prefix})
    doc = first.json()
    assert [q["name"] for q in doc["queues"]] == [f"{prefix}-0", f"{prefix}-1"]
    assert doc["queues"][0]["metadata"] == RESERVED | {"i": 0}
    nxt = [link["href"] for link in doc["links"] if link["rel"] == "next"][0]
    second = raw.get(nxt.removeprefix("/"))
    assert second.json()["queues"][0]["name"] == f"{prefix}-2"


def test_put_existing_queue_answers_204(raw: httpx.Client, queue_name: str) -> None:
    assert raw.put(f"/v2/queues/{queue_name}").status_code == 201
    resp = raw.put(f"/v2/queues/{queue_name}")
    assert resp.status_code == 204
    assert resp.headers["location"].endswith(f"/v2/queues/{queue_name}")


def test_metadata_patch(raw: httpx.Client, queue_name: str) -> None:
    raw.put(f"/v2/queues/{queue_name}", json={"a": 1})
    ops = [
        {"op": "replace", "path": "/metadata/a", "value": 2},
        {"op": "add", "path": "/metadata/_max_claim_count", "value": 3},
    ]
    resp = raw.patch(f"/v2/queues/{queue_name}", json=ops, headers={"Content-Type": PATCH})
    assert resp.status_code == 200
    assert resp.json() == RESERVED | {"a": 2, "_max_claim_count": 3}
    assert raw.get(f"/v2/queues/{queue_name}").json() == RESERVED | {"a": 2, "_max_claim_count": 3}


def test_stats_and_purge(raw: httpx.Client, queue_name: str) -> None:
    raw.post(
        f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": i} for i in range(3)]}
    )
    stats = raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]
    assert (stats["free"], stats["claimed"], stats["total"]) == (3, 0, 3)
    assert "oldest" in stats and "newest" in stats
    resp = raw.post(f"/v2/queues/{queue_name}/purge", json={"resource_types": ["messages"]})
    assert resp.status_code == 204
    assert raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]["total"] == 0


def test_queues_are_isolated_per_project(cloud, raw: httpx.Client, queue_name: str) -> None:  # noqa: ANN001
    raw.put(f"/v2/queues/{queue_name}", json={"secret": 1})
    other = cloud.new_project_user()
    headers = {"X-Auth-Token": other.token(), "Client-ID": raw.headers["Client-ID"]}
    resp = httpx.get(f"{raw.base_url}v2/queues/{queue_name}", headers=headers)
    assert resp.status_code == 404
    listing = httpx.get(f"{raw.base_url}v2/queues", headers=headers).json()
    assert queue_name not in [q["name"] for q in listing["queues"]]


def test_health_is_for_admins(cloud, raw: httpx.Client, messaging_url: str) -> None:  # noqa: ANN001
    assert raw.get("/v2/health").status_code == 403
    headers = {"X-Auth-Token": cloud.admin_token(), "Client-ID": raw.headers["Client-ID"]}
    resp = httpx.get(messaging_url + "/v2/health", headers=headers)
    assert resp.status_code == 200 and resp.json()["storage_reachable"] is True


def _patch(raw: httpx.Client, queue_name: str, *ops: dict) -> httpx.Response:
    return raw.patch(f"/v2/queues/{queue_name}", json=list(ops), headers={"Content-Type": PATCH})


def test_reserved_attributes_may_be_replaced_or_removed_while_unset(
    raw: httpx.Client, queue_name: str
) -> None:
    raw.put(f"/v2/queues/{queue_name}")
    resp = _patch(
        raw, queue_name, {"op": "replace", "path": "/metadata/_default_message_ttl", "value": 90}
    )
    assert resp.status_code == 200 and resp.json() == RESERVED | {"_default_message_ttl": 90}
    resp = _patch(raw, queue_name, {"op": "remove", "path": "/metadata/_max_claim_count"})
    assert resp.status_code == 200 and resp.json() == RESERVED | {"_default_message_ttl": 90}
    resp = _patch(raw, queue_name, {"op": "remove", "path": "/metadata/_default_message_ttl"})
    assert resp.status_code == 200 and resp.json() == RESERVED


@pytest.mark.parametrize("op", ["replace", "remove"])
def test_changing_missing_metadata_is_409(raw: httpx.Client, queue_name: str, op: str) -> None:
    raw.put(f"/v2/queues/{queue_name}", json={"a": 1})
    resp = _patch(raw, queue_name, {"op": op, "path": "/metadata/b", "value": 2})
    assert resp.status_code == 409, resp.text
    assert resp.json()["title"] == "Resource conflict" and "b" in resp.json()["description"]
    assert raw.get(f"/v2/queues/{queue_name}").json() == RESERVED | {"a": 1}


@pytest.mark.parametrize("path", ["/metadata/a/b", "/metadata/", "/metadata", "/a/b"])
def test_patch_reaches_only_top_level_metadata(
    raw: httpx.Client, queue_name: str, path: str
) -> None:
    raw.put(f"/v2/queues/{queue_name}", json={"a": {"b": 1}})
    resp = _patch(raw, queue_name, {"op": "add", "path": path, "value": 2})
    assert resp.status_code == 400 and set(resp.json()) == {"title", "description"}


def test_queue_listing_next_link_echoes_only_what_was_asked(raw: httpx.Client) -> None:
    raw.put(f"/v2/queues/nx-{raw.headers['Client-ID'][:8]}")
    doc = raw.get("/v2/queues").json()
    assert doc["links"][0]["href"] == f"/v2/queues?marker={doc['queues'][-1]['name']}"
    doc = raw.get("/v2/queues", params={"limit": 1, "detailed": "true"}).json()
    marker = doc["queues"][-1]["name"]
    assert doc["links"][0]["href"] == f"/v2/queues?marker={marker}&limit=1&detailed=true"
