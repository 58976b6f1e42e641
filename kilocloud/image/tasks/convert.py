"""Conversion: `qemu-img convert` of the imported data to the configured disk format."""

from __future__ import annotations

import asyncio

from oslo_concurrency import processutils
from oslo_config import cfg
from oslo_utils import units

from kilocloud.image.tasks.introspect import QEMU_FORMAT, inspect_file
from kilocloud.image.tasks.work import Refused, Work

CONVERTIBLE = ("qcow2", "raw", "vmdk", "vhd", "vhdx", "vdi")
ORIGINAL_FORMAT = "os_glance_original_disk_format"


async def image_conversion(work: Work) -> None:
    """The image_conversion plugin: convert to [image_conversion] output_format."""
    await convert(work, work.services.conf.image_conversion.output_format)


async def convert(work: Work, target: str) -> None:
    """Replace the work's data by its conversion to `target`, checked again afterwards."""
    if work.container_format != "bare" or work.disk_format == target:
        return
    if work.disk_format not in CONVERTIBLE:
        raise Refused(f"Images in {work.disk_format} format cannot be converted.")
    out = work.scratch_file(f".{target}")
    conf = work.services.conf
    await asyncio.to_thread(run_convert, conf, work.path, work.disk_format, out, target)
    vmdk_types = conf.image_format.vmdk_allowed_types
    work.virtual_size = await asyncio.to_thread(inspect_file, out, target, vmdk_types)
    work.properties[ORIGINAL_FORMAT] = work.disk_format
    work.path, work.disk_format = out, target


def run_convert(conf: cfg.ConfigOpts, src: str, src_fmt: str, dest: str, dest_fmt: str) -> None:
    """`qemu-img convert` under the [image_conversion] CPU and address-space limits."""
    opts = conf.image_conversion
    limits = processutils.ProcessLimits(
        cpu_time=opts.cpu_time, address_space=opts.address_space * units.Mi
    )
    fmt_in, fmt_out = QEMU_FORMAT.get(src_fmt, src_fmt), QEMU_FORMAT.get(dest_fmt, dest_fmt)
    try:
        processutils.execute(
            "qemu-img", "convert", "-f", fmt_in, "-O", fmt_out, src, dest, prlimit=limits
        )
    except processutils.ProcessExecutionError as exc:
        tail = (exc.stderr or "").strip().splitlines()[-1:] or ["unknown error"]
        raise Refused(f"Conversion to {dest_fmt} failed: {tail[0]}") from None
