"""A real container server from a docker image in the image service, with the openstack CLI."""

from __future__ import annotations

import shutil
import time

import pytest

from tests import images

pytestmark = pytest.mark.skipif(
    not (shutil.which("podman") and shutil.which("runc")), reason="podman with runc is needed"
)


@pytest.fixture(scope="module")
def container_cloud(cloud_factory):
    """A cloud with its default drivers (container first)."""
    return cloud_factory()


def _console(cloud, name: str, wanted: str) -> str:
    deadline = time.monotonic() + 60
    log = ""
    while time.monotonic() < deadline:
        log = cloud.cli("console", "log", "show", name).stdout
        if wanted in log:
            return log
        time.sleep(0.5)
    raise AssertionError(f"{wanted!r} not in console log {log!r}")


def test_boot_container_server_and_read_its_console(container_cloud, tmp_path) -> None:
    archive = images.docker_archive(tmp_path / "busybox.tar", tag="localhost/busybox:cli")
    container_cloud.cli(
        "image",
        "create",
        "--file",
        str(archive),
        "--container-format",
        "docker",
        "--disk-format",
        "raw",
        "busybox",
    )
    server = container_cloud.cli_json(
        "server",
        "create",
        "--image",
        "busybox",
        "--flavor",
        "m1.tiny",
        "--nic",
        "none",
        "--wait",
        "box",
    )
    assert server["status"] == "ACTIVE"
    assert "hello from busybox" in _console(container_cloud, "box", "hello from busybox")
    container_cloud.cli("server", "stop", "box")
    deadline = time.monotonic() + 60
    while container_cloud.cli_json("server", "show", "box")["status"] != "SHUTOFF":
        assert time.monotonic() < deadline
        time.sleep(0.5)
    container_cloud.cli("server", "delete", "--wait", "box")
    assert container_cloud.cli_json("server", "list") == []
