"""Messages and claims through python-zaqarclient and raw HTTP."""

from __future__ import annotations

import concurrent.futures
import time

import httpx


def test_post_list_claim_delete_with_zaqarclient(zaqar, queue_name: str) -> None:  # noqa: ANN001
    queue = zaqar.queue(queue_name)
    queue.post([{"body": {"n": i}, "ttl": 300} for i in range(5)])
    listed = list(queue.messages(echo=True))
    assert [m.body for m in listed] == [{"n": i} for i in range(5)]
    claim = queue.claim(ttl=120, grace=60, limit=3)
    claimed = list(claim)
    assert [m.body["n"] for m in claimed] == [0, 1, 2]
    for m in claimed:
        m.delete()
    left = list(queue.messages(echo=True, include_claimed=True))
    assert [m.body["n"] for m in left] == [3, 4]
    assert queue.stats["messages"]["total"] == 2


def test_get_one_and_many_by_id(zaqar, queue_name: str) -> None:  # noqa: ANN001
    queue = zaqar.queue(queue_name)
    ids = [r.rsplit("/", 1)[1] for r in queue.post([{"body": i} for i in range(3)])["resources"]]
    one = queue.message(ids[1])
    assert one.body == 1
    many = list(queue.messages(*ids[:2]))
    assert sorted(m.body for m in many) == [0, 1]
    queue.delete_messages(*ids[:2])
    assert [m.body for m in queue.messages(echo=True)] == [2]


def test_pop_returns_and_removes_messages(raw: httpx.Client, queue_name: str) -> None:
    raw.post(
        f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": i} for i in range(4)]}
    )
    resp = raw.delete(f"/v2/queues/{queue_name}/messages", params={"pop": 3})
    assert resp.status_code == 200
    assert [m["body"] for m in resp.json()["messages"]] == [0, 1, 2]
    left = raw.get(f"/v2/queues/{queue_name}/messages", params={"echo": "true"}).json()
    assert [m["body"] for m in left["messages"]] == [3]


def test_post_answers_201_with_locations(raw: httpx.Client, queue_name: str) -> None:
    resp = raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "x"}]})
    assert resp.status_code == 201
    (href,) = resp.json()["resources"]
    assert href.startswith(f"/v2/queues/{queue_name}/messages/")
    assert resp.headers["location"].startswith(f"/v2/queues/{queue_name}/messages?ids=")
    got = raw.get(href.removeprefix("/")).json()
    assert got["body"] == "x" and got["checksum"].startswith("MD5:") and got["ttl"] == 3600


def test_echo_false_hides_own_messages(raw: httpx.Client, queue_name: str) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "mine"}]})
    assert raw.get(f"/v2/queues/{queue_name}/messages").json()["messages"] == []
    other = {"Client-ID": "3b4c0c2e-7f7e-4d36-9c1b-2e4b1c5b7a11"}
    theirs = raw.get(f"/v2/queues/{queue_name}/messages", headers=other).json()
    assert [m["body"] for m in theirs["messages"]] == ["mine"]


def test_queue_default_ttl_applies(raw: httpx.Client, queue_name: str) -> None:
    raw.put(f"/v2/queues/{queue_name}", json={"_default_message_ttl": 77})
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 1}]})
    listed = raw.get(f"/v2/queues/{queue_name}/messages", params={"echo": "true"}).json()
    assert listed["messages"][0]["ttl"] == 77


def test_delayed_message_appears_after_its_delay(raw: httpx.Client, queue_name: str) -> None:
    url = f"/v2/queues/{queue_name}/messages"
    raw.post(url, json={"messages": [{"body": "later", "delay": 2}]})
    assert raw.get(url, params={"echo": "true"}).json()["messages"] == []
    hidden = raw.get(url, params={"echo": "true", "include_delayed": "true"}).json()
    assert [m["body"] for m in hidden["messages"]] == ["later"]
    assert raw.post(f"/v2/queues/{queue_name}/claims", json={}).status_code == 204
    time.sleep(2.2)
    assert [m["body"] for m in raw.get(url, params={"echo": "true"}).json()["messages"]] == [
        "later"
    ]


def test_claim_nothing_answers_204(raw: httpx.Client, queue_name: str) -> None:
    resp = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    assert resp.status_code == 204


def test_claim_show_renew_release(raw: httpx.Client, queue_name: str) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 1}, {"body": 2}]})
    resp = raw.post(f"/v2/queues/{queue_name}/claims?limit=1", json={"ttl": 60, "grace": 60})
    assert resp.status_code == 201
    location = resp.headers["location"]
    (msg,) = resp.json()["messages"]
    assert "claim_id=" in msg["href"]
    shown = raw.get(location.removeprefix("/")).json()
    assert shown["ttl"] == 60 and len(shown["messages"]) == 1
    assert raw.patch(location.removeprefix("/"), json={"ttl": 300, "grace": 60}).status_code == 204
    assert raw.get(location.removeprefix("/")).json()["ttl"] == 300
    assert raw.delete(location.removeprefix("/")).status_code == 204
    assert raw.get(location.removeprefix("/")).status_code == 404
    stats = raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]
    assert (stats["free"], stats["claimed"]) == (2, 0)


def test_claimed_message_delete_needs_claim_id(raw: httpx.Client, queue_name: str) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 1}]})
    claimed = raw.post(f"/v2/queues/{queue_name}/claims", json={}).json()["messages"][0]
    plain = f"v2/queues/{queue_name}/messages/{claimed['id']}"
    resp = raw.delete(plain)
    assert resp.status_code == 403 and set(resp.json()) == {"title", "description"}
    assert raw.delete(claimed["href"].removeprefix("/")).status_code == 204
    assert raw.get(plain).status_code == 404


def test_claim_expiry_returns_messages(raw: httpx.Client, queue_name: str) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "again"}]})
    first = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    assert first.status_code == 201
    assert raw.post(f"/v2/queues/{queue_name}/claims", json={}).status_code == 204
    time.sleep(61)
    second = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    assert second.status_code == 201
    assert second.json()["messages"][0]["body"] == "again"


def test_dead_letter_queue_after_max_claim_count(raw: httpx.Client, queue_name: str) -> None:
    dlq = queue_name + "-dlq"
    meta = {
        "_max_claim_count": 1,
        "_dead_letter_queue": dlq,
        "_dead_letter_queue_messages_ttl": 600,
    }
    raw.put(f"/v2/queues/{queue_name}", json=meta)
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "poison"}]})
    claim = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    raw.delete(claim.headers["location"].removeprefix("/"))
    assert raw.post(f"/v2/queues/{queue_name}/claims", json={}).status_code == 204
    dead = raw.get(f"/v2/queues/{dlq}/messages", params={"echo": "true"}).json()["messages"]
    assert [(m["body"], m["ttl"]) for m in dead] == [("poison", 600)]


def test_concurrent_claimers_over_http_share_nothing(raw: httpx.Client, queue_name: str) -> None:
    url = f"/v2/queues/{queue_name}/messages"
    for start in range(0, 100, 10):
        raw.post(url, json={"messages": [{"body": start + i} for i in range(10)]})

    def drain() -> list[int]:
        got = []
        with httpx.Client(base_url=raw.base_url, headers=raw.headers, timeout=30) as c:
            while (
                r := c.post(f"/v2/queues/{queue_name}/claims?limit=5", json={})
            ).status_code == 201:
                got += [m["body"] for m in r.json()["messages"]]
        return got

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: drain(), range(8)))
    seen = [b for r in results for b in r]
    assert sorted(seen) == list(range(100))
