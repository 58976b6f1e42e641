"""Base images are checked before a VM boots on them: declared format, oslo.utils safety."""

from __future__ import annotations

import subprocess

import pytest

from kilocloud.compute.drivers import vmdisk
from kilocloud.compute.drivers.errors import DriverError
from tests.images import vm_disk


async def test_raw_data_declared_raw_or_ami_is_read_as_raw(tmp_path):
    disk = vm_disk(tmp_path / "disk.raw")
    assert await vmdisk.base_format(disk, "raw") == "raw"
    assert await vmdisk.base_format(disk, "ami") == "raw"


async def test_data_not_in_its_declared_format_is_refused(tmp_path):
    with pytest.raises(DriverError, match="declared qcow2 but its data is raw"):
        await vmdisk.base_format(vm_disk(tmp_path / "disk.raw"), "qcow2")


async def test_a_qcow2_with_a_backing_file_is_refused(tmp_path):
    base = vm_disk(tmp_path / "base.raw")
    top = tmp_path / "top.qcow2"
    argv = ["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", base, top]
    subprocess.run(argv, check=True)
    with pytest.raises(DriverError, match="backing"):
        await vmdisk.base_format(top, "qcow2")
