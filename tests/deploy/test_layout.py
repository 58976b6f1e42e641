"""The checks an operator would run through the balancer of deploy/'s layout.

nginx in front of two `kilocloud serve all` and two `kilocloud worker`s, on MariaDB, RabbitMQ
(a vhost of the test's own), Redis and memcached.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
import websocket

from tests.backends.rabbit import own_vhost
from tests.deploy.layout import Layout
from tests.functional.image_tasks.conftest import serve


@pytest.fixture(scope="module")
def layout(tmp_path_factory, throwaway_database) -> Iterator[Layout]:  # noqa: ANN001
    with own_vhost() as (_, transport_url):
        made = Layout(
            tmp_path_factory.mktemp("layout"), throwaway_database("mariadb"), transport_url
        )
        try:
            made.start()
            yield made
        finally:
            made.stop()


def _validate(url: str, admin: str, subject: str) -> int:
    headers = {"X-Auth-Token": admin, "X-Subject-Token": subject}
    return httpx.get(f"{url}/identity/v3/auth/tokens", headers=headers, timeout=10).status_code


def test_catalog_and_openrc_point_at_the_balancer(layout: Layout) -> None:
    assert f"OS_AUTH_URL={layout.cloud.url}/identity/v3" in (layout.root / "openrc").read_text()
    endpoints = layout.cloud.cli_json("endpoint", "list")
    where = layout.cloud.url.removeprefix("http://")  # the websocket endpoint is ws://
    assert endpoints and {e["URL"].split("://", 1)[1][: len(where)] for e in endpoints} == {where}


def test_token_revoked_through_the_balancer_is_refused_by_every_process(layout: Layout) -> None:
    admin, subject = layout.cloud.admin_token(), layout.cloud.admin_token()
    direct = [f"http://127.0.0.1:{p}" for p in layout.api_ports]
    assert [_validate(u, admin, subject) for u in direct] == [200, 200]
    headers = {"X-Auth-Token": admin, "X-Subject-Token": subject}
    assert httpx.delete(f"{layout.cloud.auth_url}/auth/tokens", headers=headers).status_code == 204
    time.sleep(2)  # [token] revocation_cache_time is 1 s
    assert [_validate(u, admin, subject) for u in direct] == [404, 404]
    assert {_validate(layout.cloud.url, admin, subject) for _ in range(6)} == {404}


def test_image_uploaded_through_one_process_downloads_through_the_other(layout: Layout) -> None:
    token = layout.cloud.admin_token()
    first, second = (f"http://127.0.0.1:{p}/image/v2" for p in layout.api_ports)
    headers = {"X-Auth-Token": token}
    data = os.urandom(6 << 20)
    image = httpx.post(
        f"{first}/images",
        json={"name": "shared", "disk_format": "raw", "container_format": "bare"},
        headers=headers,
    ).json()
    put = httpx.put(
        f"{first}/images/{image['id']}/file",
        content=data,
        headers=headers | {"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    assert put.status_code == 204
    for base in (second, f"{layout.cloud.url}/image/v2"):
        got = httpx.get(f"{base}/images/{image['id']}/file", headers=headers, timeout=60)
        assert (
            got.status_code == 200
            and hashlib.sha256(got.content).digest() == hashlib.sha256(data).digest()
        )


def _watch(layout: Layout, token: str, queue: str) -> websocket.WebSocket:
    ws = websocket.create_connection(
        layout.cloud.url.replace("http", "ws") + "/messaging/ws", timeout=10
    )
    frame = {
        "action": "authenticate",
        "headers": {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())},
    }
    ws.send(json.dumps(frame))
    assert json.loads(ws.recv())["headers"]["status"] == 200
    frame = {
        "action": "subscription_create",
        "headers": {"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())},
        "body": {"queue_name": queue, "ttl": 600},
    }
    ws.send(json.dumps(frame))
    assert json.loads(ws.recv())["headers"]["status"] == 201
    return ws


def test_websocket_pushes_for_posts_on_any_process_arrive_once(layout: Layout) -> None:
    token, queue = layout.cloud.admin_token(), f"q-{uuid.uuid4().hex[:8]}"
    sockets = [_watch(layout, token, queue) for _ in range(2)]  # round-robin: one per process
    try:
        posted = [f"m{i}" for i in range(6)]
        for body in posted:
            resp = httpx.post(
                f"{layout.cloud.url}/messaging/v2/queues/{queue}/messages",
                json={"messages": [{"body": body}]},
                headers={"X-Auth-Token": token, "Client-ID": str(uuid.uuid4())},
            )
            assert resp.status_code == 201
        for ws in sockets:
            got = sorted(json.loads(ws.recv())["body"]["body"] for _ in posted)
            assert got == posted
            ws.settimeout(1.5)
            with pytest.raises(websocket.WebSocketTimeoutException):
                ws.recv()
    finally:
        for ws in sockets:
            ws.close()


def _holder(layout: Layout, task_id: str) -> str | None:
    for name in layout.workers:
        if f"task {task_id}".encode() in (layout.root / f"{name}.log").read_bytes():
            return name
    return None


def test_import_survives_the_worker_running_it_being_killed(layout: Layout, tmp_path) -> None:  # noqa: ANN001
    data = os.urandom(4 << 20)
    (tmp_path / "disk.raw").write_bytes(data)
    server, url = serve(tmp_path)
    api = httpx.Client(
        base_url=f"{layout.cloud.url}/image/v2",
        headers={"X-Auth-Token": layout.cloud.admin_token()},
    )
    try:
        image = api.post(
            "/images", json={"name": "w", "disk_format": "raw", "container_format": "bare"}
        ).json()
        body = {"method": {"name": "web-download", "uri": f"{url}/slow/disk.raw"}}
        assert api.post(f"/images/{image['id']}/import", json=body).status_code == 202
        deadline = time.monotonic() + 30
        while not (tasks := api.get(f"/images/{image['id']}/tasks").json()["tasks"]) or not (
            holder := _holder(layout, tasks[-1]["id"])
        ):
            assert time.monotonic() < deadline, "no worker started the import"
            time.sleep(0.2)
        layout.workers[holder].send_signal(signal.SIGKILL)
        layout.workers[holder].wait()
        deadline = time.monotonic() + 90
        while (task := api.get(f"/images/{image['id']}/tasks").json()["tasks"][-1])["status"] in (
            "pending",
            "processing",
        ):
            assert time.monotonic() < deadline, task
            time.sleep(0.5)
        assert task["status"] == "success", task
        done = api.get(f"/images/{image['id']}").json()
        assert (done["status"], done["os_hash_value"]) == (
            "active",
            hashlib.sha512(data).hexdigest(),
        )
    finally:
        server.shutdown()
        api.close()
        for name, proc in list(layout.workers.items()):
            if proc.poll() is not None:
                layout.start_worker(name)


def test_api_process_killed_mid_upload_the_balancer_routes_around_it(layout: Layout) -> None:
    token = layout.cloud.admin_token()
    headers = {"X-Auth-Token": token}
    base = f"{layout.cloud.url}/image/v2"
    image = httpx.post(
        f"{base}/images",
        json={"name": "cut", "disk_format": "raw", "container_format": "bare"},
        headers=headers,
    ).json()
    victim = layout.apis[0]

    def slow_body() -> Iterator[bytes]:
        for i in range(40):
            if i == 5:
                victim.send_signal(signal.SIGKILL)
            yield b"x" * 65536
            time.sleep(0.05)

    # the upload may land on either process: send it to the one about to die
    with pytest.raises(httpx.HTTPError):
        resp = httpx.put(
            f"http://127.0.0.1:{layout.api_ports[0]}/image/v2/images/{image['id']}/file",
            content=slow_body(),
            headers=headers | {"Content-Type": "application/octet-stream"},
            timeout=30,
        )
        resp.raise_for_status()
    victim.wait()
    # every request through the balancer now lands on the live process
    statuses = {
        httpx.get(f"{base}/images/{image['id']}", headers=headers).status_code for _ in range(8)
    }
    assert statuses == {200}
    assert httpx.get(f"{base}/images/{image['id']}", headers=headers).json()["status"] != "active"
    layout.restart_api(0)
    assert re.match(r"OK", httpx.get(f"http://127.0.0.1:{layout.api_ports[0]}/healthcheck").text)


def test_role_removed_through_one_process_ends_the_tokens_on_every_process(layout: Layout) -> None:
    user = layout.cloud.new_project_user()
    admin, subject = layout.cloud.admin_token(), user.token()
    direct = [f"http://127.0.0.1:{p}" for p in layout.api_ports]
    assert [_validate(u, admin, subject) for u in direct] == [200, 200]
    grant = f"/projects/{user.project_id}/users/{user.user_id}/roles"
    member = layout.cloud.connect().identity.find_role("member").id
    resp = httpx.delete(f"{direct[0]}/identity/v3{grant}/{member}", headers={"X-Auth-Token": admin})
    assert resp.status_code == 204
    time.sleep(2)  # [token] revocation_cache_time is 1 s
    assert [_validate(u, admin, subject) for u in direct] == [404, 404]
    images = httpx.get(f"{direct[1]}/image/v2/images", headers={"X-Auth-Token": subject})
    assert images.status_code == 401
