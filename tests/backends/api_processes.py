"""More API processes beside a test cloud: the same state directory, config and database."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import Cloud, free_port, wait_healthy


def start_api(
    cloud: Cloud, name: str, port: int, extra_config: Path | None = None
) -> subprocess.Popen:
    """Start `kilocloud serve all` on the cloud's state and config (plus `extra_config`).

    It runs no compute or network agent: the cloud's own process runs this host's.
    """
    no_agents = cloud.state_dir / "no-agents.conf"
    no_agents.write_text("[compute]\nlocal_agent = false\n[network_agent]\nenabled = false\n")
    cmd = [sys.executable, "-m", "kilocloud", "serve", "all", "--port", str(port)]
    cmd += ["--state-dir", str(cloud.state_dir), "--config-file", str(cloud.config_file)]
    cmd += ["--config-file", str(no_agents)]
    if extra_config is not None:
        cmd += ["--config-file", str(extra_config)]
    with open(cloud.state_dir / f"{name}.log", "ab") as log:
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if the process is still there 20 s later."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def another_api(cloud: Cloud, name: str = "api-b") -> Iterator[str]:
    """Run another API process of the cloud until the block ends; yields its URL."""
    port = free_port()
    proc = start_api(cloud, name, port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, proc)
        yield url
    finally:
        stop(proc)
