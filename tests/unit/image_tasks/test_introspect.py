"""Introspection of real images made with qemu-img, and of what qemu-img info reports."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kilocloud.image.tasks.introspect import check_info, inspect_file
from kilocloud.image.tasks.work import Refused

VMDK_TYPES = ["streamOptimized", "monolithicSparse"]


def _img(tmp_path: Path, name: str, *args: str) -> str:
    path = tmp_path / name
    subprocess.run(["qemu-img", "create", *args, str(path), "16M"], check=True, capture_output=True)
    return str(path)


@pytest.mark.parametrize("fmt", ["qcow2", "vmdk", "vhdx", "vdi", "vpc"])
def test_virtual_size_of_each_format(tmp_path: Path, fmt: str) -> None:
    declared = "vhd" if fmt == "vpc" else fmt
    size = inspect_file(_img(tmp_path, f"d.{fmt}", "-f", fmt), declared, VMDK_TYPES)
    assert size >= 16 << 20


def test_vmdk_with_a_flat_extent_elsewhere_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.vmdk"
    path.write_text(
        "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
        'createType="monolithicFlat"\n\nRW 2048 FLAT "/etc/passwd" 0\n'
    )
    with pytest.raises(Refused):
        inspect_file(str(path), "vmdk", VMDK_TYPES)


def test_vmdk_create_type_not_allowed(tmp_path: Path) -> None:
    path = _img(tmp_path, "s.vmdk", "-f", "vmdk", "-o", "subformat=streamOptimized")
    assert inspect_file(path, "vmdk", VMDK_TYPES) == 16 << 20
    with pytest.raises(Refused, match="create type"):
        inspect_file(path, "vmdk", ["monolithicSparse"])


def test_qcow2_declared_as_vmdk_and_raw_as_qcow2_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Refused, match="not the declared"):
        inspect_file(_img(tmp_path, "q.qcow2", "-f", "qcow2"), "vmdk", VMDK_TYPES)
    with pytest.raises(Refused, match="not the declared"):
        inspect_file(_img(tmp_path, "r.raw", "-f", "raw"), "qcow2", VMDK_TYPES)


@pytest.mark.parametrize(
    ("info", "words"),
    [
        ({"format": "raw"}, "reads the data as raw"),
        ({"format": "qcow2", "backing-filename": "/etc/passwd"}, "backing file"),
        ({"format": "qcow2", "format-specific": {"data": {"data-file": "/x"}}}, "data file"),
    ],
)
def test_what_qemu_img_reveals_is_checked(info: dict, words: str) -> None:
    with pytest.raises(Refused, match=words):
        check_info(info, "qcow2", VMDK_TYPES)
