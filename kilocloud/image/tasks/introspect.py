"""Introspection: learn the real format and virtual size from the data, and refuse unsafe data.

The byte-level inspector runs first, so that qemu-img never opens a file that names a backing
file or an external data file; qemu-img info then confirms, under process limits.
"""

from __future__ import annotations

import asyncio
import json
import os

from oslo_concurrency import processutils
from oslo_utils import units
from oslo_utils.imageutils import format_inspector

from kilocloud.image.tasks.work import Refused, Work

INSPECTABLE = ("qcow2", "vhd", "vhdx", "vmdk", "vdi", "iso", "raw")
RAW_LAYOUTS = ("raw", "gpt")  # a raw disk with a partition table is still raw
QEMU_FORMAT = {"vhd": "vpc", "iso": "raw"}
INFO_LIMITS = processutils.ProcessLimits(cpu_time=8, address_space=1 * units.Gi)


async def introspect(work: Work) -> None:
    """Check the data against its declared disk_format and set its virtual size."""
    if work.disk_format not in INSPECTABLE or work.container_format != "bare":
        return
    vmdk_types = work.services.conf.image_format.vmdk_allowed_types
    work.virtual_size = await asyncio.to_thread(
        inspect_file, work.path, work.disk_format, vmdk_types
    )


def inspect_file(path: str, declared: str, vmdk_types: list[str]) -> int:
    """The virtual size of the file at `path`; Refused when it is not safely `declared`."""
    try:
        inspector = format_inspector.detect_file_format(path)
    except format_inspector.ImageFormatError as exc:
        raise Refused(f"Image data could not be inspected: {exc}") from None
    detected = inspector.NAME
    if detected != declared and not (declared == "raw" and detected in RAW_LAYOUTS):
        raise Refused(f"Image data is {detected}, not the declared disk_format {declared}.")
    try:
        inspector.safety_check()
    except format_inspector.SafetyCheckFailed as exc:
        raise Refused(f"Image data failed safety checks: {exc}") from None
    if declared in ("raw", "iso"):
        return os.path.getsize(path)
    info = qemu_info(path, declared)
    check_info(info, declared, vmdk_types)
    return int(info["virtual-size"])


def qemu_info(path: str, fmt: str) -> dict:
    """`qemu-img info` of the file read as `fmt`, run under process limits."""
    try:
        out, _ = processutils.execute(
            "qemu-img",
            "info",
            "-f",
            QEMU_FORMAT.get(fmt, fmt),
            "--output=json",
            path,
            prlimit=INFO_LIMITS,
        )
    except processutils.ProcessExecutionError as exc:
        raise Refused(f"qemu-img could not read the image: {_last_line(exc.stderr)}") from None
    return json.loads(out)


def check_info(info: dict, declared: str, vmdk_types: list[str]) -> None:
    """Refuse what qemu-img reveals: backing files, data files, VMDK create types."""
    if info.get("format") != QEMU_FORMAT.get(declared, declared):
        raise Refused(f"qemu-img reads the data as {info.get('format')}, not {declared}.")
    if info.get("backing-filename"):
        raise Refused("Image has a backing file: refused.")
    specific = (info.get("format-specific") or {}).get("data") or {}
    if specific.get("data-file"):
        raise Refused("Image has an external data file: refused.")
    if declared == "vmdk" and specific.get("create-type") not in vmdk_types:
        raise Refused(f"VMDK create type {specific.get('create-type')} is not allowed.")


def _last_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[-1] if lines else "unknown error"
