"""Introspection: learn the real format and virtual size from the data, and refuse unsafe data.

Every import is inspected, whatever disk and container formats it declares (see
kilocloud.image.formats). The byte-level inspectors run first, so that qemu-img never opens a
file that names a backing file or an external data file; qemu-img info then confirms, under
process limits, whatever virtual disk format the data really is.
"""

from __future__ import annotations

import asyncio
import json
import os

from oslo_concurrency import processutils
from oslo_utils import units

from kilocloud.core.errors import BadRequest
from kilocloud.image import formats
from kilocloud.image.tasks.work import Refused, Work

QEMU_READABLE = ("qcow2", "vhd", "vhdx", "vmdk", "vdi", "qed", "luks")
QEMU_FORMAT = {"vhd": "vpc", "iso": "raw"}
INFO_LIMITS = processutils.ProcessLimits(cpu_time=8, address_space=1 * units.Gi)


async def introspect(work: Work) -> None:
    """Check the data against its declared formats and set its virtual size."""
    opts = work.services.conf.image_format
    work.virtual_size = await asyncio.to_thread(
        inspect_file,
        work.path,
        work.disk_format,
        opts.vmdk_allowed_types,
        work.container_format,
        opts.require_image_format_match,
    )


def inspect_file(
    path: str, declared: str, vmdk_types: list[str], container: str = "bare", strict: bool = True
) -> int | None:
    """The virtual size of the file at `path` (None when it has none to tell); Refused when it
    is unsafe, or (if `strict`) not the `declared` disk format."""
    try:
        detected = formats.check(formats.detect_file(path), declared, container, strict)
    except BadRequest as exc:
        raise Refused(exc.message) from None
    if detected in QEMU_READABLE:
        info = qemu_info(path, detected)
        check_info(info, detected, vmdk_types)
        matches = detected == declared and container not in formats.ARCHIVES
        return int(info["virtual-size"]) if matches else None
    if container in formats.ARCHIVES or declared not in ("raw", "iso"):
        return None
    return os.path.getsize(path)


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
