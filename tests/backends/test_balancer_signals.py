"""What a load balancer sees of an API process: refused until ready, then draining on SIGTERM."""

from __future__ import annotations

import signal
import time

import httpx

from tests.backends.api_processes import start_api, stop
from tests.conftest import free_port

DRAIN = 3


def test_refused_until_ready_then_drains_on_sigterm(cloud, tmp_path) -> None:  # noqa: ANN001
    extra = tmp_path / "drain.conf"
    extra.write_text(f"[DEFAULT]\ndrain_seconds = {DRAIN}\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start_api(cloud, "drained", port, extra)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline and proc.poll() is None
            try:  # a connection is refused or answered: never held while the app starts
                if httpx.get(f"{url}/healthcheck", timeout=2).status_code == 200:
                    break
            except httpx.ConnectError:
                time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        health = httpx.get(f"{url}/healthcheck", timeout=5)
        assert (health.status_code, health.text) == (503, "draining")
        assert httpx.get(f"{url}/identity/v3", timeout=5).status_code == 200  # still serving
        assert proc.poll() is None
        proc.wait(DRAIN + 15)
        assert proc.returncode == 0
    finally:
        stop(proc)
