"""Bad input on the subscription paths: Zaqar's 4xx statuses and error body, never a 500."""

from __future__ import annotations

import httpx
import pytest

NOWHERE = "http://127.0.0.1:9/hook"


def _error(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    doc = resp.json()
    assert set(doc) == {"title", "description"} and doc["description"], doc
    return doc


@pytest.fixture
def subs(raw: httpx.Client, queue_name: str) -> str:
    """The subscriptions URL of a fresh queue that exists."""
    assert raw.put(f"/v2/queues/{queue_name}").status_code == 201
    return f"/v2/queues/{queue_name}/subscriptions"


@pytest.mark.parametrize(
    "subscriber",
    [
        "ftp://example.org/x",
        "hook.example.org",
        "http://",
        "https:///only/a/path",
        "http://[::1/x",
        "http://127.0.0.1:99999/x",
        "http://exa mple.org/",
        "http://example.org/\x01",
        "http://example.org/" + "a" * 600,
        "mailto:",
        "mailto:nobody",
        "mailto:@example.org",
        "mailto:ops@example.org%0ABcc:spy@example.org",
        "trust+http://example.org/x",  # this cloud has no [trustee] user
        "",
        5,
        None,
    ],
)
def test_bad_subscriber_is_400(raw: httpx.Client, subs: str, subscriber: object) -> None:
    _error(raw.post(subs, json={"subscriber": subscriber, "ttl": 600}), 400)


@pytest.mark.parametrize(
    "doc",
    [
        {"ttl": 600},
        {"subscriber": NOWHERE, "ttl": 10},
        {"subscriber": NOWHERE, "ttl": "long"},
        {"subscriber": NOWHERE, "options": ["a"]},
        {"subscriber": NOWHERE, "options": {"_retry_policy": "often"}},
        {"subscriber": NOWHERE, "options": {"_retry_policy": {"minimum_delay": "5"}}},
        {"subscriber": NOWHERE, "options": {"_retry_policy": {"retry_backoff_function": "x"}}},
        {"subscriber": NOWHERE, "options": {"_retry_policy": {"maximum_delay": 6}}},
        [NOWHERE],
        "subscribe me",
    ],
)
def test_bad_subscription_body_is_400(raw: httpx.Client, subs: str, doc: object) -> None:
    _error(raw.post(subs, json=doc), 400)


def test_unparsable_or_empty_body_is_400(raw: httpx.Client, subs: str) -> None:
    _error(raw.post(subs, content=b"{not json"), 400)
    _error(raw.post(subs, content=b""), 400)


def test_bad_update_is_400_and_unknown_subscription_404(raw: httpx.Client, subs: str) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    _error(raw.patch(f"{subs}/{sid}", json={"subscriber": "gopher://x"}), 400)
    _error(raw.patch(f"{subs}/{sid}", json={"options": {"_retry_policy": [1]}}), 400)
    _error(raw.patch(f"{subs}/{'0' * 24}", json={"ttl": 600}), 404)


@pytest.mark.parametrize("sid", ["0" * 24, "5f1c0c3a-0000-4000-8000-000000000000", "no-such"])
def test_confirming_an_unknown_subscription_is_404(raw: httpx.Client, subs: str, sid: str) -> None:
    _error(raw.put(f"{subs}/{sid}/confirm", json={"confirmed": True}), 404)


def test_confirming_on_an_unknown_queue_is_404(raw: httpx.Client, subs: str) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    _error(raw.put(f"/v2/queues/q-none/subscriptions/{sid}/confirm", json={"confirmed": True}), 404)


@pytest.mark.parametrize("content", [b'{"confirmed": "yes"}', b"{}", b"[true]", b"{bad", b""])
def test_confirm_needs_a_boolean(raw: httpx.Client, subs: str, content: bytes) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    _error(raw.put(f"{subs}/{sid}/confirm", content=content), 400)
    assert raw.get(f"{subs}/{sid}").json()["confirmed"] is False


def test_confirm_with_a_forged_signature_is_404(
    messaging_url: str, raw: httpx.Client, subs: str
) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    path = f"{subs}/{sid}/confirm"
    forged = {
        "URL-Signature": "0" * 64,
        "URL-Methods": "PUT",
        "URL-Paths": path,
        "URL-Expires": "2099-01-01T00:00:00",
        "X-Project-ID": "someone",
        "Client-ID": raw.headers["Client-ID"],
    }
    _error(httpx.put(messaging_url + path, json={"confirmed": True}, headers=forged), 404)


def test_confirm_is_put_only(raw: httpx.Client, subs: str) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    _error(raw.post(f"{subs}/{sid}/confirm", json={"confirmed": True}), 405)


@pytest.mark.parametrize("content", [b"{}", b""])
def test_update_with_nothing_is_400(raw: httpx.Client, subs: str, content: bytes) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE}).json()["subscription_id"]
    doc = _error(raw.patch(f"{subs}/{sid}", content=content), 400)
    assert doc["description"] == "No subscription to create."


@pytest.mark.parametrize("doc", [{"bogus": 1}, {"subscriber": None, "ttl": None}])
def test_update_with_no_known_field_is_400(raw: httpx.Client, subs: str, doc: dict) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE, "ttl": 600}).json()["subscription_id"]
    err = _error(raw.patch(f"{subs}/{sid}", json=doc), 400)
    assert err["title"] == "Unable to update subscription"
    assert raw.get(f"{subs}/{sid}").json()["ttl"] == 600


def test_update_ignores_unknown_and_null_fields(raw: httpx.Client, subs: str) -> None:
    sid = raw.post(subs, json={"subscriber": NOWHERE, "ttl": 600}).json()["subscription_id"]
    doc = {"subscriber": None, "ttl": 900, "options": None, "bogus": 1}
    assert raw.patch(f"{subs}/{sid}", json=doc).status_code == 204
    shown = raw.get(f"{subs}/{sid}").json()
    assert (shown["subscriber"], shown["ttl"]) == (NOWHERE, 900)
