"""A database that can no longer grow is a 503 in the service's error body, and the server
keeps serving: here SQLite's files hit the file size limit of the server process."""

from __future__ import annotations

import resource
import subprocess
import sys
import uuid
from pathlib import Path

import httpx

from tests.conftest import Cloud, wait_healthy

LIMIT = 12 << 20  # bytes any file of the server may grow to


def _start_capped(cloud: Cloud) -> None:
    """`kilocloud up` as Cloud.start runs it, under RLIMIT_FSIZE."""
    cmd = [sys.executable, "-m", "kilocloud", "up", "--port", str(cloud.port)]
    cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    cloud.process = subprocess.Popen(
        cmd,
        stdout=cloud.log,
        stderr=subprocess.STDOUT,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT)),
    )
    wait_healthy(cloud.url, cloud.process)
    cloud.admin_password = (cloud.state_dir / "admin-password").read_text().strip()


def test_full_database_is_503_and_reads_go_on(tmp_path: Path) -> None:
    cloud = Cloud(tmp_path, None)
    _start_capped(cloud)
    try:
        headers = {"X-Auth-Token": cloud.admin_token(), "Client-ID": str(uuid.uuid4())}
        base = f"{cloud.url}/messaging/v2/queues/big"
        message = {"messages": [{"body": "x" * 200_000, "ttl": 3600}]}
        with httpx.Client(headers=headers, timeout=30) as api:
            for _ in range(400):
                resp = api.post(f"{base}/messages", json=message)
                if resp.status_code != 201:
                    break
            assert resp.status_code == 503, resp.text
            assert set(resp.json()) == {"title", "description"}
            assert "out of space" in resp.json()["description"]
            assert api.get(f"{base}/stats").status_code == 200
        assert httpx.get(f"{cloud.url}/healthcheck", timeout=10).status_code == 200
    finally:
        cloud.stop()
    log = (tmp_path / "server.log").read_text()
    assert "Traceback" not in log and " 500 " not in log
