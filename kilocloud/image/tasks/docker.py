"""Docker images: read a `docker save` or OCI image-layout tarball's manifest and config."""

from __future__ import annotations

import asyncio
import hashlib
import json
import tarfile
from typing import Any

from kilocloud.image.tasks.work import Refused, Work

MAX_METADATA = 4 << 20  # a manifest or config larger than this is not one
ARCHITECTURES = {"amd64": "x86_64", "arm64": "aarch64", "386": "i686"}


async def docker_metadata(work: Work) -> None:
    """Record a docker tarball's architecture, OS, command, ports, layers and digest."""
    if work.container_format != "docker":
        return
    work.properties.update(await asyncio.to_thread(read_tarball, work.path))


def read_tarball(path: str) -> dict[str, str]:
    """Properties describing the image in the tarball at `path`; Refused when it is not one."""
    try:
        with tarfile.open(path, "r:*") as tar:
            members = {m.name.removeprefix("./"): m for m in tar.getmembers() if m.isfile()}
            if "index.json" in members and "oci-layout" in members:
                config, layers, digest = _oci(tar, members)
            elif "manifest.json" in members:
                config, layers, digest = _docker_save(tar, members)
            else:
                raise Refused("The tarball is neither a docker save nor an OCI image layout.")
    except (tarfile.TarError, OSError, EOFError):
        raise Refused("Image data is not a tar archive of a container image.") from None
    return _properties(config, layers, digest)


def _json(tar: tarfile.TarFile, members: dict, name: str) -> tuple[Any, bytes]:
    member = members.get(name.removeprefix("./"))
    if member is None or member.size > MAX_METADATA:
        raise Refused(f"Container image metadata {name} is missing or too large.")
    raw = tar.extractfile(member).read()
    try:
        return json.loads(raw), raw
    except ValueError:
        raise Refused(f"Container image metadata {name} is not JSON.") from None


def _docker_save(tar: tarfile.TarFile, members: dict) -> tuple[dict, list, str]:
    manifest, _ = _json(tar, members, "manifest.json")
    if not isinstance(manifest, list) or not manifest or not isinstance(manifest[0], dict):
        raise Refused("manifest.json does not describe an image.")
    config, raw = _json(tar, members, str(manifest[0].get("Config", "")))
    return config, list(manifest[0].get("Layers") or []), _sha256(raw)


def _oci(tar: tarfile.TarFile, members: dict) -> tuple[dict, list, str]:
    index, _ = _json(tar, members, "index.json")
    try:
        digest = index["manifests"][0]["digest"]
    except (KeyError, IndexError, TypeError):
        raise Refused("index.json lists no image manifest.") from None
    manifest, _ = _json(tar, members, _blob(digest))
    if not isinstance(manifest, dict) or "config" not in manifest:
        raise Refused("The OCI manifest has no config.")
    config, _ = _json(tar, members, _blob(manifest["config"].get("digest", "")))
    return config, list(manifest.get("layers") or []), digest


def _blob(digest: str) -> str:
    algo, _, value = str(digest).partition(":")
    if not algo.isalnum() or not value.isalnum():
        raise Refused(f"Invalid digest {digest!r}.")
    return f"blobs/{algo}/{value}"


def _sha256(raw: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _properties(config: Any, layers: list, digest: str) -> dict[str, str]:
    if not isinstance(config, dict):
        raise Refused("The container image config is not an object.")
    run = config.get("config") or {}
    arch = str(config.get("architecture", ""))
    props = {
        "architecture": ARCHITECTURES.get(arch, arch),
        "os_type": str(config.get("os", "")),
        "docker_entrypoint": json.dumps(run.get("Entrypoint")),
        "docker_cmd": json.dumps(run.get("Cmd")),
        "docker_exposed_ports": ",".join(sorted(run.get("ExposedPorts") or {})),
        "docker_layers": str(len(layers)),
        "docker_image_digest": digest,
    }
    return {k: v for k, v in props.items() if v not in ("", "null")}
