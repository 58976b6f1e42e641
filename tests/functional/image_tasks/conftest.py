"""Real disk images made with qemu-img, a loopback HTTP server, and a cloud that may reach it."""

from __future__ import annotations

import gzip
import http.server
import json
import subprocess
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.functional.image.conftest import ImageAPI

TASK_CONFIG = {
    "import_filtering_opts": {"allowed_private_networks": "127.0.0.0/8", "allowed_ports": ""},
    "image_import_opts": {"image_import_plugins": "image_conversion,inject_image_metadata"},
    "image_conversion": {"output_format": "raw"},
    "inject_metadata_properties": {"inject": "injected_by:kilocloud", "ignore_user_roles": ""},
    "task": {"lease_seconds": "3"},
    "DEFAULT": {"image_size_cap": str(64 << 20)},
}


@pytest.fixture(scope="session")
def task_cloud(cloud_factory):  # noqa: ANN001, ANN201
    """A cloud that converts imports to raw, injects a property and may download from loopback."""
    return cloud_factory(config=TASK_CONFIG)


@pytest.fixture(scope="session")
def tapi(task_cloud) -> ImageAPI:  # noqa: ANN001
    """The task cloud's image API as admin."""
    return ImageAPI(task_cloud, task_cloud.admin_token())


def qemu_img(*args: str) -> None:
    """Run qemu-img, failing the test on error."""
    subprocess.run(["qemu-img", *args], check=True, capture_output=True)


@pytest.fixture(scope="session")
def disks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw, qcow2, vmdk, vhdx images of one 8 MiB disk with data, and malicious variants."""
    d = tmp_path_factory.mktemp("disks")
    raw = d / "disk.raw"
    raw.write_bytes(b"kilocloud" * 100000 + b"\0" * (8 * 1024 * 1024 - 900000))
    for fmt in ("qcow2", "vmdk", "vhdx"):
        qemu_img("convert", "-f", "raw", "-O", fmt, str(raw), str(d / f"disk.{fmt}"))
    qemu_img("create", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", str(d / "backing.qcow2"))
    qemu_img(
        "create", "-f", "qcow2", "-o", f"data_file={d}/data.bin", str(d / "datafile.qcow2"), "8M"
    )
    return d


class Handler(http.server.BaseHTTPRequestHandler):
    """Serves files from `root`, plus /redirect?to=URL and /bomb (gzip of zeros)."""

    root: Path

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
            return
        if self.path == "/bomb":
            body = gzip.compress(b"\0" * (200 << 20), compresslevel=9)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/slow/"):
            return self._slow((self.root / self.path[6:]).read_bytes())
        target = self.root / self.path.lstrip("/")
        if not target.is_file():
            self.send_error(404)
            return
        data = target.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _slow(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        for i in range(0, len(data), 256 * 1024):
            self.wfile.write(data[i : i + 256 * 1024])
            time.sleep(0.2)

    def log_message(self, *args: object) -> None:
        """Quiet."""


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Start an HTTP server on 127.0.0.1 serving `root`; the server and its base URL."""
    handler = type("H", (Handler,), {"root": root})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def web(disks: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving the disks; yields its base URL."""
    server, url = serve(disks)
    yield url
    server.shutdown()


def wait_task(api: ImageAPI, image_id: str, timeout: float = 60) -> dict:
    """The image's latest import task once it has ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = api.http.get(f"/v2/images/{image_id}/tasks").json()["tasks"]
        if tasks and tasks[-1]["status"] in ("success", "failure"):
            return tasks[-1]
        time.sleep(0.2)
    raise AssertionError(f"import of {image_id} did not end: {tasks}")


def docker_tarball(path: Path) -> Path:
    """A minimal `docker save` tarball: manifest.json, a config and one layer."""
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Entrypoint": ["/bin/app"], "Cmd": ["--serve"], "ExposedPorts": {"80/tcp": {}}},
    }
    with tarfile.open(path, "w") as tar:
        for name, data in (
            ("abc.json", json.dumps(config).encode()),
            (
                "manifest.json",
                json.dumps([{"Config": "abc.json", "Layers": ["l1/layer.tar"]}]).encode(),
            ),
            ("l1/layer.tar", b"\0" * 1024),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, __import__("io").BytesIO(data))
    return path


def sha512(path: Path) -> str:
    """Hex sha512 of a file."""
    import hashlib

    return hashlib.sha512(path.read_bytes()).hexdigest()


def get(api: ImageAPI, image_id: str) -> dict:
    """The image as the API shows it."""
    return api.http.get(f"/v2/images/{image_id}").json()


__all__ = ["docker_tarball", "get", "httpx", "qemu_img", "sha512", "wait_task"]
