"""Pre-signed URLs stand in for a token on the queue and methods they name."""

from __future__ import annotations

import httpx

from tests.functional.messaging.zaqar import new_client_id


def signed_headers(grant: dict) -> dict[str, str]:
    return {
        "URL-Signature": grant["signature"],
        "URL-Expires": grant["expires"],
        "URL-Methods": ",".join(grant["methods"]),
        "URL-Paths": ",".join(grant["paths"]),
        "X-Project-ID": grant["project"],
        "Client-ID": new_client_id(),
    }


def test_signed_url_grants_named_methods_only(raw: httpx.Client, queue_name: str) -> None:
    share = {"paths": ["messages"], "methods": ["GET", "POST"]}
    grant = raw.post(f"/v2/queues/{queue_name}/share", json=share).json()
    assert grant["paths"] == [f"/v2/queues/{queue_name}/messages"]
    anon = httpx.Client(base_url=raw.base_url, headers=signed_headers(grant))
    resp = anon.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "via url"}]})
    assert resp.status_code == 201
    listed = anon.get(f"/v2/queues/{queue_name}/messages", params={"echo": "true"})
    assert [m["body"] for m in listed.json()["messages"]] == ["via url"]
    assert anon.delete(f"/v2/queues/{queue_name}/messages", params={"pop": 1}).status_code == 404
    assert anon.get(f"/v2/queues/{queue_name}-other/messages").status_code == 404
    assert anon.get(f"/v2/queues/{queue_name}").status_code == 404


def test_tampered_or_expired_signature_is_404(raw: httpx.Client, queue_name: str) -> None:
    grant = raw.post(f"/v2/queues/{queue_name}/share", json={}).json()
    headers = signed_headers(grant) | {"URL-Signature": "0" * 64}
    assert (
        httpx.get(f"{raw.base_url}v2/queues/{queue_name}/messages", headers=headers).status_code
        == 404
    )
    headers = signed_headers(grant) | {"URL-Methods": "GET,DELETE"}
    resp = httpx.delete(f"{raw.base_url}v2/queues/{queue_name}/messages?pop=1", headers=headers)
    assert resp.status_code == 404
    assert (
        raw.post(
            f"/v2/queues/{queue_name}/share", json={"expires": "2001-01-01T00:00:00"}
        ).status_code
        == 400
    )
    assert raw.post(f"/v2/queues/{queue_name}/share", json={"paths": ["queues"]}).status_code == 400
