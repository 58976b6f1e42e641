"""Slow, idle and half-sent requests: the server closes them on its deadlines, a client that
leaves mid-body costs one short log line (no 500, no traceback), and past the connection
limit requests are answered 503 while the server keeps serving."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.conftest import Cloud

LIMITS = {
    "DEFAULT": {
        "client_header_timeout": "2",
        "client_body_timeout": "2",
        "keepalive_timeout": "2",
        "max_connections": "12",
    }
}


@pytest.fixture(scope="module")
def limited(cloud_factory) -> Cloud:  # noqa: ANN001
    """A cloud with two-second deadlines and a small connection limit."""
    return cloud_factory(config=LIMITS)


def _connect(cloud: Cloud) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", cloud.port), timeout=10)
    sock.settimeout(10)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> float:
    """Seconds until the server closed `sock` (reading whatever it sent first)."""
    start = time.monotonic()
    while sock.recv(4096):
        pass
    elapsed = time.monotonic() - start
    assert elapsed < seconds
    return elapsed


def test_idle_connection_is_closed(limited: Cloud) -> None:
    with _connect(limited) as sock:
        assert _closed_within(sock, 8) > 1.5


def test_trickled_headers_are_cut_at_the_deadline(limited: Cloud) -> None:
    with _connect(limited) as sock:
        start = time.monotonic()
        request = b"GET /healthcheck HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 400
        try:
            for byte in request:
                sock.send(bytes([byte]))
                time.sleep(0.05)
        except OSError:
            pass  # closed under us: what is expected
        assert time.monotonic() - start < 8
        _closed_within(sock, 8)


def _half_sent_upload(cloud: Cloud, path: str, token: str | None) -> socket.socket:
    sock = _connect(cloud)
    auth = f"X-Auth-Token: {token}\r\n" if token else ""
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/octet-stream\r\n"
        "Content-Length: 1000000\r\n\r\n"
    )
    sock.sendall(head.encode() + b"\0" * 1000)
    return sock


def test_partial_body_is_cut_after_the_body_timeout(limited: Cloud) -> None:
    token = limited.admin_token()
    image = httpx.post(
        f"{limited.url}/image/v2/images",
        json={"disk_format": "raw", "container_format": "bare"},
        headers={"X-Auth-Token": token},
    ).json()
    with _half_sent_upload(limited, f"/image/v2/images/{image['id']}/file", token) as sock:
        assert _closed_within(sock, 10) > 1.5
    time.sleep(0.5)
    shown = httpx.get(
        f"{limited.url}/image/v2/images/{image['id']}", headers={"X-Auth-Token": token}
    )
    assert shown.json()["status"] == "queued"


def test_client_leaving_mid_body_is_one_short_line(limited: Cloud) -> None:
    path = "/identity/v3/auth/tokens"
    sock = _connect(limited)
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    sock.sendall((head + "Content-Length: 100000\r\n\r\n").encode() + b'{"auth": ')
    time.sleep(0.3)
    sock.close()
    time.sleep(1)
    log = (limited.state_dir / "server.log").read_text()
    lines = [line for line in log.splitlines() if f"POST {path}" in line]
    assert lines and " 499 " in lines[-1]
    assert " 500 " not in lines[-1]
    assert "Traceback" not in log and "ClientDisconnect" not in log


def test_connections_past_the_limit_get_503_and_the_server_keeps_serving(limited: Cloud) -> None:
    held = [_connect(limited) for _ in range(12)]
    try:
        resp = httpx.get(f"{limited.url}/healthcheck", timeout=10)
        assert resp.status_code == 503
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.5)
    assert httpx.get(f"{limited.url}/healthcheck", timeout=10).status_code == 200
