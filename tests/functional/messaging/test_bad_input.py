"""Bad requests get Zaqar's status and {"title", "description"} body, and lose no message."""

from __future__ import annotations

import httpx
import pytest


def zaqar_error(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"title", "description"}
    return body


def test_missing_client_id_is_400(messaging_url: str, member_token: str) -> None:
    resp = httpx.get(messaging_url + "/v2/queues", headers={"X-Auth-Token": member_token})
    assert "Client-ID" in zaqar_error(resp, 400)["description"]


def test_malformed_client_id_is_400(raw: httpx.Client) -> None:
    zaqar_error(raw.get("/v2/queues", headers={"Client-ID": "not-a-uuid"}), 400)


def test_no_token_is_401(messaging_url: str) -> None:
    resp = httpx.get(
        messaging_url + "/v2/queues", headers={"Client-ID": "3b4c0c2e-7f7e-4d36-9c1b-2e4b1c5b7a11"}
    )
    zaqar_error(resp, 401)


@pytest.mark.parametrize("name", ["x" * 65, "bad.name", "bad%20name", "caf%C3%A9"])
def test_bad_queue_names_are_400(raw: httpx.Client, name: str) -> None:
    zaqar_error(raw.put(f"/v2/queues/{name}"), 400)
    zaqar_error(raw.post(f"/v2/queues/{name}/messages", json={"messages": [{"body": 1}]}), 400)


def test_oversized_post_is_400_and_stores_nothing(raw: httpx.Client, queue_name: str) -> None:
    big = {"messages": [{"body": "x" * 270_000}]}
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/messages", json=big), 400)
    assert raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]["total"] == 0


def test_queue_post_size_limit_applies(raw: httpx.Client, queue_name: str) -> None:
    raw.put(f"/v2/queues/{queue_name}", json={"_max_messages_post_size": 100})
    body = {"messages": [{"body": "y" * 200}]}
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/messages", json=body), 400)


@pytest.mark.parametrize(
    "doc",
    [
        {"messages": []},
        {"messages": [{"ttl": 60}]},
        {"messages": [{"body": 1, "ttl": 59}]},
        {"messages": [{"body": 1, "ttl": 1209601}]},
        {"messages": [{"body": 1, "ttl": "sixty"}]},
        {"messages": [{"body": 1, "delay": 901}]},
        {"messages": [{"body": i} for i in range(21)]},
        {"nothing": True},
        [1, 2],
    ],
)
def test_bad_message_posts_are_400(raw: httpx.Client, queue_name: str, doc: object) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "keep"}]})
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/messages", json=doc), 400)
    listed = raw.get(f"/v2/queues/{queue_name}/messages", params={"echo": "true"}).json()
    assert [m["body"] for m in listed["messages"]] == ["keep"]


def test_malformed_json_is_400(raw: httpx.Client, queue_name: str) -> None:
    resp = raw.post(
        f"/v2/queues/{queue_name}/messages",
        content=b'{"messages": [',
        headers={"Content-Type": "application/json"},
    )
    zaqar_error(resp, 400)


@pytest.mark.parametrize(
    "doc",
    [
        {"ttl": 59},
        {"ttl": 43201},
        {"grace": 59},
        {"grace": 43201},
        {"ttl": "x"},
        {"ttl": "60"},
        {"grace": "60"},
        {"ttl": 60.0},
        {"ttl": True},
    ],
)
def test_bad_claim_ttl_and_grace_are_400(raw: httpx.Client, queue_name: str, doc: dict) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 1}]})
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/claims", json=doc), 400)
    assert raw.get(f"/v2/queues/{queue_name}/stats").json()["messages"]["free"] == 1


@pytest.mark.parametrize("limit", ["0", "21", "many"])
def test_bad_claim_limit_is_400(raw: httpx.Client, queue_name: str, limit: str) -> None:
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/claims?limit={limit}", json={}), 400)


def test_patch_needs_json_patch_media_type(raw: httpx.Client, queue_name: str) -> None:
    raw.put(f"/v2/queues/{queue_name}")
    ops = [{"op": "add", "path": "/metadata/a", "value": 1}]
    zaqar_error(raw.patch(f"/v2/queues/{queue_name}", json=ops), 415)


def test_patch_outside_metadata_is_400(raw: httpx.Client, queue_name: str) -> None:
    raw.put(f"/v2/queues/{queue_name}")
    headers = {"Content-Type": "application/openstack-messaging-v2.0-json-patch"}
    ops = [{"op": "add", "path": "/name", "value": "x"}]
    zaqar_error(raw.patch(f"/v2/queues/{queue_name}", json=ops, headers=headers), 400)


def test_bad_reserved_metadata_is_400(raw: httpx.Client, queue_name: str) -> None:
    zaqar_error(raw.put(f"/v2/queues/{queue_name}", json={"_default_message_ttl": 5}), 400)
    zaqar_error(raw.put(f"/v2/queues/{queue_name}", json={"_dead_letter_queue": "a b"}), 400)


def test_ids_and_pop_together_are_400(raw: httpx.Client, queue_name: str) -> None:
    resp = raw.delete(f"/v2/queues/{queue_name}/messages", params={"ids": "a", "pop": 1})
    zaqar_error(resp, 400)


def test_missing_message_and_queue_are_404(raw: httpx.Client, queue_name: str) -> None:
    zaqar_error(raw.get(f"/v2/queues/{queue_name}"), 404)
    zaqar_error(raw.get(f"/v2/queues/{queue_name}/messages/{'0' * 32}"), 404)
    zaqar_error(raw.get(f"/v2/queues/{queue_name}/messages", params={"ids": "0" * 32}), 404)
    zaqar_error(raw.get("/v2/no-such-resource"), 404)


def test_claims_on_another_projects_queue(cloud, raw: httpx.Client, queue_name: str) -> None:  # noqa: ANN001
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "mine"}]})
    claim = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    other = cloud.new_project_user()
    headers = {"X-Auth-Token": other.token(), "Client-ID": raw.headers["Client-ID"]}
    with httpx.Client(base_url=raw.base_url, headers=headers) as intruder:
        assert intruder.post(f"/v2/queues/{queue_name}/claims", json={}).status_code == 204
        zaqar_error(intruder.get(claim.headers["location"].removeprefix("/")), 404)
        zaqar_error(
            intruder.patch(claim.headers["location"].removeprefix("/"), json={"ttl": 60}), 404
        )
        intruder.delete(claim.headers["location"].removeprefix("/"))
    shown = raw.get(claim.headers["location"].removeprefix("/"))
    assert shown.status_code == 200 and len(shown.json()["messages"]) == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "messages", {"messages": [{"body": [[[[]]]] * 1}]}, 201),
        ("GET", "messages?limit=0", None, 400),
        ("GET", "messages?limit=%C2%B2", None, 400),
        ("GET", "messages?marker=%C2%B2", None, 400),
        ("GET", "messages/%00abc", None, 404),
        ("DELETE", "messages/%00abc", None, 204),
        ("DELETE", f"messages/{'a' * 32}?claim_id=%00", None, 403),
        ("GET", "claims/%00", None, 404),
        ("GET", "subscriptions?marker=%00", None, 400),
        ("GET", "subscriptions/%00", None, 404),
        ("POST", "subscriptions", {"subscriber": "http://x/\u0000"}, 400),
        ("POST", "subscriptions", {"subscriber": "http://x/", "options": []}, 400),
    ],
)
def test_odd_ids_markers_and_bodies(
    raw: httpx.Client, queue_name: str, method: str, path: str, body: object, status: int
) -> None:
    resp = raw.request(method, f"/v2/queues/{queue_name}/{path}", json=body)
    assert resp.status_code == status, resp.text


def test_too_deeply_nested_body_is_400(raw: httpx.Client, queue_name: str) -> None:
    deep = "[" * 300 + "]" * 300
    doc = '{"messages": [{"body": ' + deep + "}]}"
    resp = raw.post(
        f"/v2/queues/{queue_name}/messages",
        content=doc.encode(),
        headers={"Content-Type": "application/json"},
    )
    zaqar_error(resp, 400)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/v2/queues?marker=%00", 400), ("/v2/queues/%00", 400), ("/v2/pools/%00", 403)],
)
def test_nul_in_names_is_refused(raw: httpx.Client, path: str, status: int) -> None:
    """A bad queue name or marker is a 400; pools are the admin's, so a member gets 403 first."""
    zaqar_error(raw.get(path), status)


@pytest.mark.parametrize("doc", [{"ttl": "120"}, {"grace": "60"}])
def test_claim_renewal_with_a_string_is_400(raw: httpx.Client, queue_name: str, doc: dict) -> None:
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": 1}]})
    claim = raw.post(f"/v2/queues/{queue_name}/claims", json={"ttl": 60, "grace": 60})
    body = zaqar_error(raw.patch(claim.headers["Location"], json=doc), 400)
    assert body["title"] == "Invalid request body"


@pytest.mark.parametrize("item", [{"body": 1, "ttl": "300"}, {"body": 1, "delay": "5"}])
def test_message_ttl_or_delay_as_a_string_is_400(
    raw: httpx.Client, queue_name: str, item: dict
) -> None:
    zaqar_error(raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [item]}), 400)
