"""`kilocloud up` loads only what its configuration uses, so that it starts in about a second
as services are added: no client of a backend it is not configured for, and no Alembic on a
schema that is already current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import free_port, wait_healthy

# drivers and clients of backends the default (SQLite, in-process) cloud does not use
UNUSED_BACKENDS = {
    "boto3",
    "botocore",
    "redis",
    "kombu",
    "oslo_messaging",
    "asyncpg",
    "asyncmy",
    "pymysql",
    "pymemcache",
    "aiosmtpd",
}


def imported_by_up(state_dir: Path) -> set[str]:
    """Top-level packages a default `kilocloud up` imports from launch until it is stopped."""
    port = free_port()
    cmd = [sys.executable, "-X", "importtime", "-m", "kilocloud", "up", "--port", str(port)]
    log = state_dir.parent / f"{state_dir.name}-imports.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*cmd, "--state-dir", str(state_dir)], stdout=subprocess.DEVNULL, stderr=out
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        finally:
            proc.send_signal(2)
            proc.wait(30)
    lines = [ln for ln in log.read_text().splitlines() if ln.startswith("import time:")]
    return {ln.rpartition("|")[2].strip().split(".")[0] for ln in lines}


def test_up_loads_no_backend_it_is_not_configured_for_and_no_alembic_on_restart(tmp_path):
    state = tmp_path / "state"
    fresh = imported_by_up(state)
    assert fresh & UNUSED_BACKENDS == set()
    assert "alembic" in fresh  # the first start creates the schema
    again = imported_by_up(state)
    assert again & (UNUSED_BACKENDS | {"alembic"}) == set()
