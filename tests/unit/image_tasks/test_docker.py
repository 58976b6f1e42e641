"""Docker and OCI tarballs: their metadata as properties; anything else refused."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from kilocloud.image.tasks.docker import read_tarball
from kilocloud.image.tasks.work import Refused

CONFIG = {
    "architecture": "arm64",
    "os": "linux",
    "config": {"Cmd": ["sh"], "ExposedPorts": {"443/tcp": {}, "80/tcp": {}}},
}


def _tar(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _blob(data: bytes) -> tuple[str, str]:
    digest = hashlib.sha256(data).hexdigest()
    return f"sha256:{digest}", f"blobs/sha256/{digest}"


def test_oci_layout(tmp_path: Path) -> None:
    config = json.dumps(CONFIG).encode()
    config_digest, config_path = _blob(config)
    manifest = json.dumps(
        {"config": {"digest": config_digest}, "layers": [{"digest": "a"}, {"digest": "b"}]}
    ).encode()
    manifest_digest, manifest_path = _blob(manifest)
    index = json.dumps({"manifests": [{"digest": manifest_digest}]}).encode()
    files = {
        "oci-layout": b'{"imageLayoutVersion": "1.0.0"}',
        "index.json": index,
        manifest_path: manifest,
        config_path: config,
    }
    props = read_tarball(str(_tar(tmp_path / "oci.tar", files)))
    assert props["architecture"] == "aarch64" and props["os_type"] == "linux"
    assert props["docker_cmd"] == '["sh"]' and "docker_entrypoint" not in props
    assert props["docker_exposed_ports"] == "443/tcp,80/tcp"
    assert props["docker_layers"] == "2" and props["docker_image_digest"] == manifest_digest


def test_docker_save_layout(tmp_path: Path) -> None:
    config = json.dumps(CONFIG).encode()
    manifest = json.dumps([{"Config": "c.json", "Layers": ["x/layer.tar"]}]).encode()
    path = _tar(tmp_path / "save.tar", {"manifest.json": manifest, "c.json": config})
    props = read_tarball(str(path))
    assert props["docker_image_digest"] == "sha256:" + hashlib.sha256(config).hexdigest()
    assert props["docker_layers"] == "1"


@pytest.mark.parametrize(
    "files",
    [
        {"hello.txt": b"hi"},
        {"manifest.json": b"not json"},
        {"manifest.json": b"[]"},
        {"manifest.json": b'[{"Config": "missing.json"}]'},
        {"oci-layout": b"{}", "index.json": b'{"manifests": []}'},
        {"oci-layout": b"{}", "index.json": b'{"manifests": [{"digest": "sha256:../../etc"}]}'},
    ],
)
def test_tarballs_that_are_not_images_are_refused(tmp_path: Path, files: dict) -> None:
    with pytest.raises(Refused):
        read_tarball(str(_tar(tmp_path / "bad.tar", files)))


def test_data_that_is_not_a_tarball_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"\x00" * 4096 + b"garbage")
    with pytest.raises(Refused):
        read_tarball(str(path))
