"""One cloud per state directory: a second start, a failed start and `bootstrap` leave a
running cloud's catalog, openrc and clouds.yaml alone."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import Cloud, free_port


def up(state_dir: Path, port: int) -> subprocess.CompletedProcess:
    """`kilocloud up` that is expected to stop at once."""
    cmd = [sys.executable, "-m", "kilocloud", "up", "--state-dir", str(state_dir)]
    return subprocess.run(cmd + ["--port", str(port)], capture_output=True, text=True, timeout=60)


def client_files(state_dir: Path) -> dict[str, str]:
    return {name: (state_dir / name).read_text() for name in ("openrc", "clouds.yaml")}


def endpoint_urls(cloud: Cloud) -> set[str]:
    headers = {"X-Auth-Token": cloud.admin_token()}
    endpoints = httpx.get(f"{cloud.auth_url}/endpoints", headers=headers).json()["endpoints"]
    return {e["url"] for e in endpoints}


def test_second_up_on_a_state_dir_exits_naming_the_first_and_changes_nothing(cloud_factory):
    cloud = cloud_factory()
    files, urls = client_files(cloud.state_dir), endpoint_urls(cloud)
    done = up(cloud.state_dir, free_port())
    assert done.returncode == 1
    assert done.stderr == (
        f"kilocloud: state directory {cloud.state_dir} is in use by another kilocloud "
        f"(pid {cloud.process.pid}); stop it first, or give another --state-dir\n"
    )
    assert client_files(cloud.state_dir) == files
    assert endpoint_urls(cloud) == urls
    assert {url.split("/")[2] for url in urls} == {f"127.0.0.1:{cloud.port}"}


def test_up_on_a_taken_port_exits_and_writes_nothing(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = up(tmp_path / "state", port)
    assert done.returncode == 1
    assert done.stderr == (
        f"kilocloud: cannot listen on 127.0.0.1 port {port}: Address already in use\n"
    )
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == ["kilocloud.pid"]


def test_restart_on_a_taken_port_keeps_the_openrc_of_the_last_start(cloud_factory):
    cloud = cloud_factory()
    cloud.stop()
    files = client_files(cloud.state_dir)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = up(cloud.state_dir, taken.getsockname()[1])
    assert done.returncode == 1
    assert client_files(cloud.state_dir) == files


def test_bootstrap_moves_endpoints_only_when_given_a_port(cloud_factory):
    cloud = cloud_factory()
    files, urls = client_files(cloud.state_dir), endpoint_urls(cloud)
    cloud.kilocloud("bootstrap")
    assert client_files(cloud.state_dir) == files
    assert endpoint_urls(cloud) == urls
    cloud.kilocloud("bootstrap", "--port", "9999")
    moved = {url.replace(f":{cloud.port}/", ":9999/") for url in urls}
    assert endpoint_urls(cloud) == moved
    assert (
        "OS_AUTH_URL=http://127.0.0.1:9999/identity/v3\n" in client_files(cloud.state_dir)["openrc"]
    )


def test_admin_password_is_printed_on_first_start_only(cloud_factory):
    cloud = cloud_factory()
    cloud.stop()
    cloud.log = open(cloud.state_dir / "server.log", "ab")  # noqa: SIM115 - closed by stop()
    cloud.start()
    log = (cloud.state_dir / "server.log").read_text()
    assert log.count(cloud.admin_password) == 1
    assert log.count(f"  password   (in {cloud.state_dir}/openrc)\n") == 1
