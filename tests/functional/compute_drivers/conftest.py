"""Drivers run for real against a running cloud's image service, on test images built here."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from kilocloud.compute.drivers.base import FlavorInfo, ImageInfo, InstanceSpec
from kilocloud.opts import load_conf
from tests import images


class ImageAPISource:
    """An ImageSource over a cloud's Image API, with an admin token."""

    def __init__(self, cloud) -> None:  # noqa: ANN001
        self.http = httpx.AsyncClient(
            base_url=f"{cloud.url}/image/v2",
            headers={"X-Auth-Token": cloud.admin_token()},
            timeout=120,
        )

    async def info(self, image_id: str) -> ImageInfo:
        resp = await self.http.get(f"/images/{image_id}")
        resp.raise_for_status()
        return image_info(resp.json())

    async def download(self, image_id: str) -> AsyncIterator[bytes]:
        async with self.http.stream("GET", f"/images/{image_id}/file") as resp:
            resp.raise_for_status()
            async for chunk in resp.aiter_bytes():
                yield chunk

    async def upload(
        self,
        name: str,
        container_format: str,
        disk_format: str,
        data: AsyncIterator[bytes],
        properties: dict[str, str],
    ) -> str:
        body = {"name": name, "container_format": container_format, "disk_format": disk_format}
        resp = await self.http.post("/images", json=body | properties)
        resp.raise_for_status()
        image_id = resp.json()["id"]
        headers = {"Content-Type": "application/octet-stream"}
        put = await self.http.put(f"/images/{image_id}/file", content=data, headers=headers)
        put.raise_for_status()
        return image_id


def image_info(body: dict) -> ImageInfo:
    """An ImageInfo from an Image API image body."""
    core = {"id", "name", "container_format", "disk_format", "size", "checksum"}
    return ImageInfo(
        **{key: body.get(key) for key in core},
        os_hash_algo=body.get("os_hash_algo"),
        os_hash_value=body.get("os_hash_value"),
        min_ram=body.get("min_ram", 0),
        min_disk=body.get("min_disk", 0),
        properties={k: v for k, v in body.items() if isinstance(v, str)},
    )


def instance_spec(image: ImageInfo, **changes: object) -> InstanceSpec:
    """A small server's spec booting `image`."""
    server = uuid.uuid4()
    fields: dict = {
        "uuid": str(server),
        "name": f"test-{server.hex[:6]}",
        "hostname": f"test-{server.hex[:6]}",
        "project_id": uuid.uuid4().hex,
        "user_id": uuid.uuid4().hex,
        "image": image,
        "flavor": FlavorInfo("m1.test", 1, 128, 1, 0, 0, {}),
        "user_data": b"#!/bin/sh\necho user data here\n",
        "metadata": {"role": "test"},
        "config_drive": True,
        "key_name": None,
        "key_data": None,
        "launch_index": 0,
        "vifs": [],
    }
    return InstanceSpec(**fields | changes)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this session's test images are built once."""
    return tmp_path_factory.mktemp("test-images")


@pytest.fixture(scope="session")
async def image_source(cloud) -> AsyncIterator[ImageAPISource]:  # noqa: ANN001
    source = ImageAPISource(cloud)
    yield source
    await source.http.aclose()


def upload(cloud, path: Path, container_format: str, disk_format: str, **props: str) -> str:  # noqa: ANN001
    """Upload a file as a new image; its id."""
    image = cloud.connect().create_image(
        f"test-{path.name}",
        filename=str(path),
        container_format=container_format,
        disk_format=disk_format,
        wait=True,
        **props,
    )
    return image.id


@pytest.fixture(scope="session")
async def busybox_image(cloud, artifacts: Path, image_source: ImageAPISource) -> ImageInfo:  # noqa: ANN001
    """The busybox docker archive, as an image of the cloud."""
    archive = images.docker_archive(artifacts / "busybox.tar", tag="localhost/busybox:test")
    return await image_source.info(upload(cloud, archive, "docker", "raw"))


def driver_conf(**overrides: object):  # noqa: ANN201
    """Options for a driver under test."""
    return load_conf(overrides=overrides)


def remove_tree(path: Path) -> None:
    """Remove a driver's state folder."""
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
async def vm_images(cloud, artifacts: Path, image_source: ImageAPISource) -> dict[str, ImageInfo]:  # noqa: ANN001
    """The test VM as images: kernel (aki), ramdisk (ari), and raw (ami) and qcow2 disks."""
    kernel, initramfs = images.vm_kernel_and_initramfs(artifacts)
    kernel_id = upload(cloud, kernel, "aki", "aki")
    ramdisk_id = upload(cloud, initramfs, "ari", "ari")
    boot = {"kernel_id": kernel_id, "ramdisk_id": ramdisk_id}
    boot["os_command_line"] = "console=ttyS0 panic=-1 quiet"
    raw = images.vm_disk(artifacts / "disk.raw")
    qcow2 = artifacts / "disk.qcow2"
    subprocess.run(["qemu-img", "convert", "-O", "qcow2", raw, qcow2], check=True)
    ids = {
        "ami": upload(cloud, raw, "ami", "ami", **boot),
        "qcow2": upload(cloud, qcow2, "bare", "qcow2", **boot),
    }
    return {name: await image_source.info(image_id) for name, image_id in ids.items()}
