"""Digests and format inspection computed beside an upload."""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from kilocloud.core.errors import BadRequest
from kilocloud.image.service.digest import Digests

MB = 1 << 20


async def _feed(digests: Digests, data: bytes, block: int = MB) -> tuple[str, str]:
    for i in range(0, len(data), block):
        await digests.feed(data[i : i + block])
    return await digests.finish()


async def test_md5_and_sha512_match_hashlib():
    data = os.urandom(5 * MB + 123)
    digests = Digests("sha512", inspect=False)
    assert await _feed(digests, data, 300_000) == (
        hashlib.md5(data).hexdigest(),
        hashlib.sha512(data).hexdigest(),
    )


async def test_other_hash_algorithm():
    digests = Digests("sha256", inspect=False)
    assert (await _feed(digests, b"abc"))[1] == hashlib.sha256(b"abc").hexdigest()


def _qemu_image(tmp_path, fmt: str, size: str = "64M") -> bytes:
    path = tmp_path / f"disk.{fmt}"
    subprocess.run(
        ["qemu-img", "create", "-f", fmt, str(path), size], check=True, capture_output=True
    )
    return path.read_bytes()


async def test_qcow2_declared_as_qcow2_gives_its_virtual_size(tmp_path):
    data = _qemu_image(tmp_path, "qcow2")
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    assert digests.virtual_size("qcow2", "bare", len(data), strict=True) == 64 * MB


async def test_random_bytes_declared_as_qcow2_are_refused():
    digests = Digests("sha512", inspect=True)
    await _feed(digests, os.urandom(2 * MB))
    with pytest.raises(BadRequest):
        digests.virtual_size("qcow2", "bare", 2 * MB, strict=True)
    assert digests.virtual_size("qcow2", "bare", 2 * MB, strict=False) is None


async def test_qcow2_disguised_as_raw_is_refused(tmp_path):
    data = _qemu_image(tmp_path, "qcow2")
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    with pytest.raises(BadRequest, match="qcow2"):
        digests.virtual_size("raw", "bare", len(data), strict=True)


async def test_qcow2_with_a_backing_file_fails_the_safety_check(tmp_path):
    base = tmp_path / "base.qcow2"
    subprocess.run(["qemu-img", "create", "-f", "qcow2", str(base), "1M"], check=True)
    top = tmp_path / "top.qcow2"
    subprocess.run(
        ["qemu-img", "create", "-f", "qcow2", "-b", str(base), "-F", "qcow2", str(top)],
        check=True,
        capture_output=True,
    )
    data = top.read_bytes()
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    with pytest.raises(BadRequest, match="safety"):
        digests.virtual_size("qcow2", "bare", len(data), strict=True)


async def test_raw_virtual_size_is_its_size_and_ami_has_none():
    digests = Digests("sha512", inspect=True)
    await _feed(digests, b"\0" * 4096)
    assert digests.virtual_size("raw", "bare", 4096, strict=True) == 4096
    ami = Digests("sha512", inspect=True)
    await _feed(ami, b"whatever")
    assert ami.virtual_size("ami", "ami", 8, strict=True) is None


@pytest.mark.parametrize(
    ("disk_format", "container_format"),
    [("qcow2", "ovf"), ("qcow2", "docker"), ("ami", "ami"), ("ploop", "bare"), ("raw", "ova")],
)
async def test_unsafe_qcow2_is_refused_whatever_is_declared(
    tmp_path, disk_format, container_format
):
    base = tmp_path / "base.qcow2"
    subprocess.run(["qemu-img", "create", "-f", "qcow2", str(base), "1M"], check=True)
    top = tmp_path / "top.qcow2"
    subprocess.run(
        ["qemu-img", "create", "-f", "qcow2", "-b", str(base), "-F", "qcow2", str(top)],
        check=True,
        capture_output=True,
    )
    data = top.read_bytes()
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    with pytest.raises(BadRequest, match="safety"):
        digests.virtual_size(disk_format, container_format, len(data), strict=False)


@pytest.mark.parametrize(
    ("disk_format", "container_format"), [("ami", "ami"), ("ploop", "bare"), ("raw", "docker")]
)
async def test_qcow2_declared_as_another_format_is_refused(tmp_path, disk_format, container_format):
    data = _qemu_image(tmp_path, "qcow2")
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    with pytest.raises(BadRequest, match="Image data is qcow2, not "):
        digests.virtual_size(disk_format, container_format, len(data), strict=True)


@pytest.mark.parametrize(("disk_format", "container_format"), [("aki", "aki"), ("raw", "bare")])
async def test_boot_sector_with_untidy_partitions_is_still_raw(disk_format, container_format):
    # a bzImage: legacy boot signature, 0xff where an MBR keeps its partition entries
    sector = bytearray(b"\0" * 512)
    sector[0x1BE:0x1FE] = b"\xff" * 64
    sector[0x1FE:0x200] = b"\x55\xaa"
    data = bytes(sector) + os.urandom(MB)
    digests = Digests("sha512", inspect=True)
    await _feed(digests, data)
    digests.virtual_size(disk_format, container_format, len(data), strict=True)
