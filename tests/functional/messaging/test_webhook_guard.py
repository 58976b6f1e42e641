"""Webhook subscriptions go through the outbound guard: internal addresses are refused when
subscribing (400 in Zaqar's body) and when delivering; a listener on loopback receives nothing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LOOPBACK_WEBHOOKS, Cloud
from tests.functional.messaging.sinks import Webhook
from tests.functional.messaging.zaqar import new_client_id

ANY_PORT = {"subscription_filtering_opts": {"allowed_ports": ""}}


class Listener:
    """A TCP listener on loopback counting connections; answers each with `reply`."""

    def __init__(self, reply: bytes = b"HTTP/1.1 204 No Content\r\n\r\n") -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.reply, self.accepted = reply, 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.sendall(self.reply)
            conn.close()

    def close(self) -> None:
        """Stop listening."""
        self.sock.close()


@pytest.fixture(scope="module")
def guarded_cloud(cloud_factory) -> Cloud:  # noqa: ANN001
    """A cloud filtering webhook subscribers by address only (any port, as an attacker picks)."""
    return cloud_factory(config=ANY_PORT)


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def _client(cloud: Cloud) -> httpx.Client:
    headers = {"X-Auth-Token": cloud.admin_token(), "Client-ID": new_client_id()}
    return httpx.Client(base_url=cloud.url + "/messaging/v2", headers=headers, timeout=30)


def _hosts(port: int) -> list[str]:
    internal = [
        "127.0.0.1", "[::1]", "0x7f000001", "2130706433", "127.1", "0.0.0.0", "localhost",
        "[::ffff:127.0.0.1]", "169.254.169.254", "[64:ff9b::a9fe:a9fe]", "[64:ff9b::7f00:1]",
        "[2002:7f00:1::]", "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[fec0::1]", "10.0.0.1",
    ]  # fmt: skip
    return [f"{host}:{port}" for host in internal] + ["127.0.0.1", "[::1]"]


def test_internal_subscribers_are_refused_with_400(guarded_cloud: Cloud, listener) -> None:  # noqa: ANN001
    with _client(guarded_cloud) as api:
        for host in _hosts(listener.port):
            for scheme in ("http", "https", "trust+http"):
                sub = {
                    "subscriber": f"{scheme}://{host}/hook",
                    "ttl": 600,
                    "options": {"post_headers": {"X-Evil": "1"}, "post_data": {"x": 1}},
                }
                resp = api.post("/queues/ssrf/subscriptions", json=sub)
                assert resp.status_code == 400, (host, resp.text)
                assert set(resp.json()) == {"title", "description"}
                assert "non-public address" in resp.json()["description"], resp.text
        assert api.get("/queues/ssrf/subscriptions").json()["subscriptions"] == []
        api.post("/queues/ssrf/messages", json={"messages": [{"body": "x"}]})
    time.sleep(1)
    assert listener.accepted == 0


def test_changing_a_subscriber_to_an_internal_address_is_refused(guarded_cloud: Cloud) -> None:
    with _client(guarded_cloud) as api:
        sub = {"subscriber": "http://hook.invalid/x", "ttl": 600}
        sid = api.post("/queues/ssrf-patch/subscriptions", json=sub).json()["subscription_id"]
        resp = api.patch(
            f"/queues/ssrf-patch/subscriptions/{sid}",
            json={"subscriber": "http://169.254.169.254/latest/meta-data"},
            headers={"Content-Type": "application/openstack-messaging-v2.0-json-patch"},
        )
        assert resp.status_code == 400, resp.text
        shown = api.get(f"/queues/ssrf-patch/subscriptions/{sid}").json()
        assert shown["subscriber"] == "http://hook.invalid/x"


def test_delivery_checks_the_address_again(cloud_factory, listener) -> None:  # noqa: ANN001
    """A subscription made while loopback was allowed, delivered once it no longer is."""
    lax = cloud_factory(config=LOOPBACK_WEBHOOKS)
    with _client(lax) as api:
        sub = {"subscriber": f"http://localhost:{listener.port}/hook", "ttl": 600}
        assert api.post("/queues/later/subscriptions", json=sub).status_code == 201
    lax.stop()
    strict = Cloud(lax.state_dir, ANY_PORT)
    strict.start()
    try:
        with _client(strict) as api:
            resp = api.post("/queues/later/messages", json={"messages": [{"body": "x"}]})
            assert resp.status_code == 201
        time.sleep(2)
        assert listener.accepted == 0
        assert "non-public address 127.0.0.1" in (lax.state_dir / "server.log").read_text()
    finally:
        strict.stop()


def test_webhook_redirects_are_not_followed(cloud: Cloud) -> None:
    target = Listener()
    redirect = f"HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{target.port}/"
    hop = Listener((redirect + "\r\nContent-Length: 0\r\n\r\n").encode())
    try:
        with _client(cloud) as api:
            sub = {"subscriber": f"http://127.0.0.1:{hop.port}/hook", "ttl": 600}
            assert api.post("/queues/hops/subscriptions", json=sub).status_code == 201
            api.post("/queues/hops/messages", json={"messages": [{"body": "x"}]})
        deadline = time.monotonic() + 10
        while hop.accepted == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        assert hop.accepted == 1
        assert target.accepted == 0
    finally:
        hop.close()
        target.close()


def test_webhook_credentials_are_not_logged(cloud: Cloud) -> None:
    hook = Webhook()
    port = hook.server.server_port
    url = f"http://user:PASSWORD-1f3@127.0.0.1:{port}/hook?token=SECRET-9c2"
    try:
        with _client(cloud) as api:
            assert api.post("/queues/creds/subscriptions", json={"subscriber": url}).is_success
            api.post("/queues/creds/messages", json={"messages": [{"body": "x"}]})
        hook.next()
    finally:
        hook.close()
    time.sleep(0.5)
    log = (cloud.state_dir / "server.log").read_text()
    assert f"http://***@127.0.0.1:{port}/hook?token=***" in log
    assert "PASSWORD-1f3" not in log and "SECRET-9c2" not in log
