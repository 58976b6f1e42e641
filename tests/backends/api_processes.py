"""More API processes beside a test cloud: the same state directory, config and database."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import Cloud, free_port, wait_healthy


@contextmanager
def another_api(cloud: Cloud, name: str = "api-b") -> Iterator[str]:
    """Run `kilocloud serve all` on the cloud's state and config; yields its URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "kilocloud", "serve", "all", "--port", str(port)]
    cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    with open(cloud.state_dir / f"{name}.log", "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proc)
            yield url
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
