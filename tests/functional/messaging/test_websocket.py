"""The websocket transport: zaqarclient's WebsocketTransport, raw frames, msgpack, pushes."""

from __future__ import annotations

import json
import time

import httpx
import msgpack
import pytest
import websocket
from zaqarclient.transport import errors

from tests.functional.messaging.zaqar import WS, new_client_id


@pytest.fixture
def ws_url(cloud) -> str:  # noqa: ANN001
    catalog = cloud.connect().session.auth.get_access(cloud.connect().session).service_catalog
    return catalog.url_for(service_type="messaging-websocket", interface="public")


@pytest.fixture
def zws(ws_url: str, member, member_token: str):  # noqa: ANN001, ANN201
    client = WS(ws_url, member_token, member.project_id)
    yield client
    client.close()


def frame(action: str, token: str | None = None, **body: object) -> str:
    headers = {"Client-ID": new_client_id()}
    if token:
        headers["X-Auth-Token"] = token
    return json.dumps({"action": action, "headers": headers, "body": body})


def test_catalog_lists_websocket_endpoint(ws_url: str, cloud) -> None:  # noqa: ANN001
    assert ws_url == f"ws://127.0.0.1:{cloud.port}/messaging/ws"


def test_queue_message_claim_cycle_with_zaqarclient(zws: WS, queue_name: str) -> None:
    assert zws.send("queue_create", queue_name=queue_name).status_code == 201
    posted = zws.send(
        "message_post", queue_name=queue_name, messages=[{"body": "w1"}, {"body": "w2"}]
    )
    ids = posted.deserialized_content["message_ids"]
    assert len(ids) == 2
    listed = zws.send("message_list", queue_name=queue_name, echo=True)
    assert [m["body"] for m in listed.deserialized_content["messages"]] == ["w1", "w2"]
    claimed = zws.send("claim_create", queue_name=queue_name, ttl=60, grace=60, limit=1)
    (msg,) = claimed.deserialized_content
    assert msg["body"] == "w1"
    zws.send(
        "message_delete", queue_name=queue_name, message_id=msg["id"], claim_id=msg["claim_id"]
    )
    stats = zws.send("queue_get_stats", queue_name=queue_name).deserialized_content
    assert stats["messages"]["total"] == 1
    zws.send("queue_delete", queue_name=queue_name)
    with pytest.raises(errors.ResourceNotFound):
        zws.send("queue_get", queue_name=queue_name)


def test_unauthenticated_socket_is_refused(ws_url: str) -> None:
    ws = websocket.create_connection(ws_url)
    ws.send(frame("queue_list"))
    resp = json.loads(ws.recv())
    assert resp["headers"]["status"] == 403 and "error" in resp["body"]
    ws.send(frame("authenticate", token="not-a-token"))
    resp = json.loads(ws.recv())
    assert resp["headers"]["status"] == 401
    ws.close()


def test_malformed_frames_get_error_frames(ws_url: str, member_token: str) -> None:
    ws = websocket.create_connection(ws_url)
    ws.send(frame("authenticate", token=member_token))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    for bad in ["{not json", "[1, 2]", json.dumps({"headers": {}}), frame("no_such_action")]:
        ws.send(bad)
        resp = json.loads(ws.recv())
        assert resp["headers"]["status"] == 400, bad
    ws.send(json.dumps({"action": "queue_list", "headers": {}, "body": {}}))
    assert json.loads(ws.recv())["headers"]["status"] == 400
    ws.send(frame("queue_list"))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    ws.close()


def test_msgpack_frames_get_msgpack_answers(
    ws_url: str, member_token: str, queue_name: str
) -> None:
    ws = websocket.create_connection(ws_url)
    headers = {"Client-ID": new_client_id(), "X-Auth-Token": member_token}
    ws.send_binary(msgpack.packb({"action": "authenticate", "headers": headers}))
    opcode, data = ws.recv_data()
    assert opcode == websocket.ABNF.OPCODE_BINARY
    assert msgpack.unpackb(data)["headers"]["status"] == 200
    post = {
        "action": "message_post",
        "headers": headers,
        "body": {"queue_name": queue_name, "messages": [{"body": {"bin": True}}]},
    }
    ws.send_binary(msgpack.packb(post))
    assert msgpack.unpackb(ws.recv_data()[1])["headers"]["status"] == 201
    ws.close()


def test_websocket_subscription_pushes_new_messages(
    ws_url: str,
    member_token: str,
    raw,
    queue_name: str,  # noqa: ANN001
) -> None:
    ws = websocket.create_connection(ws_url, timeout=10)
    ws.send(frame("authenticate", token=member_token))
    ws.recv()
    ws.send(frame("subscription_create", queue_name=queue_name, ttl=600))
    assert json.loads(ws.recv())["headers"]["status"] == 201
    raw.post(f"/v2/queues/{queue_name}/messages", json={"messages": [{"body": "pushed"}]})
    pushed = json.loads(ws.recv())
    assert pushed["body"]["body"] == "pushed" and pushed["body"]["queue_name"] == queue_name
    ws.close()


def test_image_activation_arrives_on_websocket(ws_url: str, member, member_token: str) -> None:  # noqa: ANN001
    ws = websocket.create_connection(ws_url, timeout=20)
    ws.send(frame("authenticate", token=member_token))
    ws.recv()
    ws.send(frame("subscription_create", queue_name="notifications", ttl=600))
    ws.recv()
    conn = member.connect()
    image = conn.image.create_image(
        name="ws-watch", data=b"\0" * 1024, disk_format="raw", container_format="bare"
    )
    deadline = time.monotonic() + 20
    events = []
    while time.monotonic() < deadline and "image.activate" not in events:
        body = json.loads(ws.recv())["body"]["body"]
        if body["payload"].get("id") == image.id:
            events.append(body["event_type"])
    assert "image.activate" in events
    ws.close()


def test_socket_closes_with_4003_when_token_expires(cloud_factory) -> None:  # noqa: ANN001
    short = cloud_factory(config={"token": {"expiration": "60"}})
    url = f"ws://127.0.0.1:{short.port}/messaging/ws"
    ws = websocket.create_connection(url, timeout=90)
    ws.send(frame("authenticate", token=short.admin_token()))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    start = time.monotonic()
    opcode, data = ws.recv_data(control_frame=True)
    while opcode in (websocket.ABNF.OPCODE_PING, websocket.ABNF.OPCODE_PONG):
        opcode, data = ws.recv_data(control_frame=True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    assert int.from_bytes(data[:2], "big") == 4003
    assert 50 < time.monotonic() - start < 75


def test_admin_actions_over_websocket(ws_url: str, cloud) -> None:  # noqa: ANN001
    admin = WS(ws_url, cloud.admin_token(), "")
    try:
        assert "rel/queues" in admin.send("get_home_doc").deserialized_content["resources"]
        assert admin.send("check_node_health").deserialized_content["storage_reachable"]
        name = f"wspool-{new_client_id()[:8]}"
        created = admin.send("pool_create", pool_name=name, uri="redis://127.0.0.1:6379", weight=5)
        assert created.status_code == 201
        assert admin.send("pool_get", pool_name=name).deserialized_content["weight"] == 5
        admin.send("pool_delete", pool_name=name)
        with pytest.raises(errors.ResourceNotFound):
            admin.send("pool_get", pool_name=name)
    finally:
        admin.close()


def test_members_cannot_use_admin_actions(zws: WS) -> None:
    with pytest.raises(errors.ForbiddenError):
        zws.send("pool_list")
    with pytest.raises(errors.ForbiddenError):
        zws.send("check_node_health")


def test_presigned_headers_stand_in_for_a_token(ws_url: str, raw, queue_name: str) -> None:  # noqa: ANN001
    share = {"paths": ["messages"], "methods": ["GET", "POST"]}
    grant = raw.post(f"/v2/queues/{queue_name}/share", json=share).json()
    headers = {
        "Client-ID": new_client_id(),
        "URL-Signature": grant["signature"],
        "URL-Expires": grant["expires"],
        "URL-Methods": ",".join(grant["methods"]),
        "URL-Paths": ",".join(grant["paths"]),
        "X-Project-ID": grant["project"],
    }
    ws = websocket.create_connection(ws_url, timeout=10)
    post = {"queue_name": queue_name, "messages": [{"body": "signed"}]}
    ws.send(json.dumps({"action": "message_post", "headers": headers, "body": post}))
    assert json.loads(ws.recv())["headers"]["status"] == 201
    pop = {"queue_name": queue_name, "pop": 1}
    ws.send(json.dumps({"action": "message_delete_many", "headers": headers, "body": pop}))
    assert json.loads(ws.recv())["headers"]["status"] == 404
    ws.close()
    listed = raw.get(f"/v2/queues/{queue_name}/messages", params={"echo": "true"}).json()
    assert [m["body"] for m in listed["messages"]] == ["signed"]


@pytest.mark.parametrize(
    ("action", "body", "status"),
    [
        ("message_post", {"queue_name": 5, "messages": [{"body": 1}]}, 400),
        ("message_post", {"queue_name": "q", "messages": "x"}, 400),
        ("message_list", {"queue_name": "q", "limit": "abc"}, 400),
        ("message_get", {"queue_name": "q"}, 404),
        ("claim_create", {"queue_name": "q", "ttl": "x"}, 400),
        ("claim_get", {"queue_name": "q", "claim_id": 7}, 404),
        ("subscription_create", {"queue_name": "q", "subscriber": "ftp://x"}, 400),
        ("pool_list", {"limit": "x"}, 400),
        ("queue_create", {"queue_name": "bad name"}, 400),
    ],
)
def test_bad_frame_bodies_get_error_frames(
    ws_url: str, member_token: str, action: str, body: dict, status: int
) -> None:
    ws = websocket.create_connection(ws_url, timeout=10)
    ws.send(frame("authenticate", token=member_token))
    ws.recv()
    ws.send(frame(action, **body))
    resp = json.loads(ws.recv())
    assert resp["headers"]["status"] == status and "error" in resp["body"]
    ws.send(frame("queue_list"))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    ws.close()


def test_token_in_the_upgrade_request_authenticates(ws_url: str, member_token: str) -> None:
    ws = websocket.create_connection(ws_url, header=[f"X-Auth-Token: {member_token}"], timeout=10)
    ws.send(frame("queue_list"))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    ws.close()


def _status(ws, action: str, token: str | None = None, **body: object) -> int:  # noqa: ANN001
    ws.send(frame(action, token=token, **body))
    return json.loads(ws.recv())["headers"]["status"]


def test_revoked_token_loses_the_socket_its_identity(ws_url: str, cloud) -> None:  # noqa: ANN001
    user = cloud.new_project_user()
    token = user.token()
    ws = websocket.create_connection(ws_url)
    try:
        assert _status(ws, "authenticate", token=token) == 200
        assert _status(ws, "queue_list") == 200
        revoked = httpx.delete(
            cloud.auth_url + "/auth/tokens",
            headers={"X-Auth-Token": cloud.admin_token(), "X-Subject-Token": token},
        )
        assert revoked.status_code == 204
        assert _status(ws, "queue_list") == 403
        assert _status(ws, "queue_create", queue_name="after-revocation") == 403
    finally:
        ws.close()
    headers = {"X-Auth-Token": user.token(), "Client-ID": new_client_id()}
    listed = httpx.get(cloud.url + "/messaging/v2/queues", headers=headers).json()
    assert "after-revocation" not in [q["name"] for q in listed.get("queues", [])]


def test_failed_reauthentication_drops_the_identity(ws_url: str, member_token: str) -> None:
    ws = websocket.create_connection(ws_url)
    try:
        assert _status(ws, "authenticate", token=member_token) == 200
        assert _status(ws, "queue_list") == 200
        assert _status(ws, "authenticate", token="not-a-token") == 401
        assert _status(ws, "queue_list") == 403
    finally:
        ws.close()
