"""Websocket pushes reach sockets on every API process, once, through Redis or RabbitMQ."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
import websocket

from tests.backends.api_processes import another_api
from tests.backends.rabbit import own_vhost


@pytest.fixture(scope="module", params=["redis", "rabbitmq"])
def two_apis(request, cloud_factory, throwaway_database) -> Iterator[tuple[str, str, str]]:  # noqa: ANN001
    db = throwaway_database("postgresql")
    if request.param == "redis":
        redis = {"uri": "redis://127.0.0.1:6379/0", "key_prefix": f"kc-{uuid.uuid4().hex[:8]}"}
        config = {"drivers": {"message_store": "redis"}, "drivers:message_store:redis": redis}
        cloud = cloud_factory(db, config)
        with another_api(cloud) as other:
            yield cloud.url, other, cloud.admin_token()
        return
    with own_vhost() as (_, url):
        cloud = cloud_factory(db, {"DEFAULT": {"transport_url": url}})
        with another_api(cloud) as other:
            yield cloud.url, other, cloud.admin_token()


def _frame(action: str, token: str, **body: object) -> str:
    headers = {"Client-ID": str(uuid.uuid4()), "X-Auth-Token": token}
    return json.dumps({"action": action, "headers": headers, "body": body})


def _watch(base: str, token: str, queue: str) -> websocket.WebSocket:
    ws = websocket.create_connection(f"{base.replace('http', 'ws')}/messaging/ws", timeout=10)
    ws.send(_frame("authenticate", token))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    ws.send(_frame("subscription_create", token, queue_name=queue, ttl=600))
    assert json.loads(ws.recv())["headers"]["status"] == 201
    return ws


def _post(base: str, token: str, queue: str, body: str) -> None:
    headers = {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())}
    resp = httpx.post(
        f"{base}/messaging/v2/queues/{queue}/messages",
        json={"messages": [{"body": body}]},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text


def _pushed(ws: websocket.WebSocket, count: int) -> list[str]:
    bodies = [json.loads(ws.recv())["body"]["body"] for _ in range(count)]
    ws.settimeout(1.5)
    with pytest.raises(websocket.WebSocketTimeoutException):  # and nothing twice
        ws.recv()
    return bodies


def test_posts_on_either_process_reach_sockets_on_both_once(two_apis) -> None:  # noqa: ANN001
    first, second, token = two_apis
    queue = f"q-{uuid.uuid4().hex[:8]}"
    sockets = [_watch(first, token, queue), _watch(second, token, queue)]
    try:
        posted = [f"m{i}" for i in range(6)]
        for i, body in enumerate(posted):
            _post((first, second)[i % 2], token, queue, body)
        for ws in sockets:
            assert sorted(_pushed(ws, len(posted))) == posted
    finally:
        for ws in sockets:
            ws.close()
