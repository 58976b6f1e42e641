"""Disks of virtual machines: checked base images, copy-on-write overlays, flat copies."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from oslo_utils.imageutils import format_inspector

from kilocloud.compute.drivers import commands
from kilocloud.compute.drivers.errors import DriverError

RAW_LIKE = {"raw", "gpt", "iso"}  # formats QEMU reads as raw bytes
DECLARED = {"raw": RAW_LIKE, "ami": RAW_LIKE, "qcow2": {"qcow2"}}


async def base_format(path: Path, disk_format: str) -> str:
    """QEMU's format for a base image, after oslo.utils' safety checks; it must be as declared."""
    inspector = await asyncio.to_thread(format_inspector.detect_file_format, str(path))
    if inspector is None:
        raise DriverError(f"image data of unknown format, declared {disk_format}")
    try:
        inspector.safety_check()
    except format_inspector.SafetyCheckFailed as exc:
        raise DriverError(f"image refused: {exc}") from None
    if inspector.NAME not in DECLARED.get(disk_format, set()):
        raise DriverError(f"image declared {disk_format} but its data is {inspector.NAME}")
    return "qcow2" if inspector.NAME == "qcow2" else "raw"


async def virtual_size(path: Path, qemu_img: str = "qemu-img") -> int:
    """The size in bytes a guest sees of a disk image."""
    out = await commands.run(qemu_img, "info", "-U", "--output", "json", str(path), timeout=60)
    return int(json.loads(out)["virtual-size"])


async def overlay(base: Path, fmt: str, target: Path, root_gb: int, qemu_img: str) -> None:
    """A qcow2 overlay on base, as large as the flavor's root disk (the image's size if 0)."""
    size = await virtual_size(base, qemu_img)
    if root_gb and root_gb << 30 < size:
        raise DriverError(f"the flavor's root disk ({root_gb} GB) is smaller than the image")
    wanted = max(size, root_gb << 30)
    argv = [qemu_img, "create", "-q", "-f", "qcow2", "-F", fmt, "-b", str(base), str(target)]
    await commands.run(*argv, str(wanted), timeout=60)


async def flatten(disk: Path, target: Path, qemu_img: str) -> None:
    """A standalone qcow2 copy of a disk and everything under it."""
    argv = [qemu_img, "convert", "-U", "-O", "qcow2", str(disk), str(target)]
    await commands.run(*argv, timeout=3600)


async def grow(disk: Path, root_gb: int, qemu_img: str) -> None:
    """Enlarge a disk to the flavor's root disk size (after a resize); never shrink it."""
    if root_gb and await virtual_size(disk, qemu_img) < root_gb << 30:
        await commands.run(qemu_img, "resize", "-q", str(disk), f"{root_gb}G", timeout=60)
