"""Ctrl-C while an upload is running: the server stops within its grace period (at once on a
second Ctrl-C), the upload ends with a 503 and a clean close, the image goes back to queued,
and the log says so in one line."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Cloud

CHUNK = b"x" * 65536


def endless_body(started: threading.Event, stop: threading.Event) -> Iterator[bytes]:
    """Image data that keeps coming, slowly, until the server or the test ends it."""
    yield CHUNK
    started.set()
    while not stop.wait(0.2):
        yield CHUNK


def image_status(cloud: Cloud, image_id: str, headers: dict) -> str:
    return httpx.get(f"{cloud.url}/image/v2/images/{image_id}", headers=headers).json()["status"]


@pytest.mark.parametrize("presses", [1, 2], ids=["ctrl-c", "ctrl-c-twice"])
def test_ctrl_c_during_an_upload_puts_the_image_back_to_queued(cloud_factory, presses: int):
    cloud = cloud_factory()
    headers = {"X-Auth-Token": cloud.admin_token()}
    body = {"name": "cut-short", "disk_format": "raw", "container_format": "bare"}
    image_id = httpx.post(f"{cloud.url}/image/v2/images", json=body, headers=headers).json()["id"]
    started, stop, outcome = threading.Event(), threading.Event(), {}

    def upload() -> None:
        put_headers = {**headers, "Content-Type": "application/octet-stream"}
        url = f"{cloud.url}/image/v2/images/{image_id}/file"
        try:
            content = endless_body(started, stop)
            outcome["status"] = httpx.put(url, content=content, headers=put_headers).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = type(exc).__name__

    uploader = threading.Thread(target=upload)
    uploader.start()
    try:
        assert started.wait(30)
        deadline = time.monotonic() + 30
        while image_status(cloud, image_id, headers) != "saving":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        for _ in range(presses):  # the second within the grace period: stop now
            cloud.process.send_signal(signal.SIGINT)
            time.sleep(1)
        assert cloud.process.wait(30) == 0
    finally:
        stop.set()
        uploader.join(30)
    log = (cloud.state_dir / "server.log").read_text()
    assert "Traceback" not in log
    assert "CancelledError" not in log
    cut = "shutdown: cut short 1 request(s) still running after the grace period: "
    assert log.count(cut) == 1
    assert f"{cut}PUT /image/v2/images/{image_id}/file\n" in log
    assert outcome == {"status": 503}
    cloud.log = open(cloud.state_dir / "server.log", "ab")  # noqa: SIM115 - closed by stop()
    cloud.start()
    assert image_status(cloud, image_id, {"X-Auth-Token": cloud.admin_token()}) == "queued"


def test_sigterm_stops_the_cloud_as_ctrl_c_does(cloud_factory):
    cloud = cloud_factory()
    cloud.process.send_signal(signal.SIGTERM)
    assert cloud.process.wait(30) == 0
    log = (cloud.state_dir / "server.log").read_text()
    assert log.endswith(
        f"Application shutdown complete.\nINFO:     Finished server process [{cloud.process.pid}]\n"
    )
    assert "Traceback" not in log
