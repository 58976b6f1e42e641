"""Test images built offline from Debian packages: a busybox docker archive and a small VM.

The docker archive is what `docker save` writes (a layer tar, its config json and
manifest.json), made by hand from busybox-static. The VM is the kernel of Debian's
linux-image-*-cloud-amd64 package (fetched with `apt-get download`, or taken from
$KILOCLOUD_TEST_KERNEL_DEB) and a busybox initramfs whose init prints a line, shows the config
drive, powers off on the ACPI power button and runs a shell on the serial console.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

BUSYBOX = Path("/bin/busybox")  # busybox-static: runs with no libraries beside it
VM_BANNER = "kilocloud test vm: up"
CONTAINER_COMMAND = [
    "/bin/sh",
    "-c",
    "echo hello from busybox; cd /mnt/config/openstack/latest; cat meta_data.json; echo;"
    " cat user_data 2>/dev/null; echo;"
    " exec sleep 86400",
]
# load order matters: each module's symbols come from the ones before it
VM_MODULES = [
    "drivers/virtio/virtio_ring.ko",
    "drivers/virtio/virtio.ko",
    "drivers/virtio/virtio_pci_modern_dev.ko",
    "drivers/virtio/virtio_pci_legacy_dev.ko",
    "drivers/virtio/virtio_pci.ko",
    "drivers/block/virtio_blk.ko",
    "drivers/cdrom/cdrom.ko",
    "fs/isofs/isofs.ko",
    "drivers/acpi/button.ko",
    "drivers/input/evdev.ko",
    "net/core/failover.ko",
    "drivers/net/net_failover.ko",
    "drivers/net/virtio_net.ko",
]
VM_INIT = f"""#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in {" ".join(Path(m).stem for m in VM_MODULES)}; do insmod /lib/modules/$m.ko; done
echo "{VM_BANNER}"
echo "disk: $(head -c 64 /dev/vda | head -n 1)"
for d in /dev/vd?; do mount -t iso9660 -o ro $d /mnt 2>/dev/null && break; done
cat /mnt/openstack/latest/meta_data.json 2>/dev/null; echo
cat /mnt/openstack/latest/user_data 2>/dev/null; echo
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up; udhcpc -i eth0 -n -q -t 10 -T 1 -s /bin/true 2>&1
fi
for e in /sys/class/input/event*; do
  grep -q "Power Button" $e/device/name || continue
  (dd if=/dev/input/${{e##*/}} bs=24 count=1 of=/dev/null 2>/dev/null; poweroff -f) &
done
setsid sh -c "exec sh </dev/ttyS0 >/dev/ttyS0 2>&1" &
while true; do sleep 3600; done
"""


def _entry(name: str, **attrs: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime, info.uid, info.gid, info.mode = 0, 0, 0, 0o755
    for key, value in attrs.items():
        setattr(info, key, value)
    return info


def _add(tar: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    tar.addfile(_entry(name, size=len(data), mode=mode), io.BytesIO(data))


def busybox_rootfs() -> bytes:
    """A root filesystem tar: busybox-static and a symlink per applet in /bin."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for folder in ("bin", "etc", "tmp", "proc", "sys", "dev", "root", "run", "var", "mnt"):
            tar.addfile(_entry(folder, type=tarfile.DIRTYPE))
        _add(tar, "bin/busybox", BUSYBOX.read_bytes(), 0o755)
        applets = subprocess.run([str(BUSYBOX), "--list"], capture_output=True, text=True)
        for applet in applets.stdout.split():
            if applet != "busybox":
                tar.addfile(_entry(f"bin/{applet}", type=tarfile.SYMTYPE, linkname="busybox"))
    return out.getvalue()


def vm_disk(path: Path, first_line: str = "original", size: int = 1 << 20) -> Path:
    """A raw disk whose first line the test VM prints at boot ("disk: <line>")."""
    with open(path, "wb") as disk:
        disk.write(first_line.encode() + b"\n")
        disk.truncate(size)
    return path


def docker_archive(path: Path, command: list[str] | None = None, tag: str = "") -> Path:
    """Write a docker-archive tarball of busybox that runs `command` (default: print, sleep)."""
    layer = busybox_rootfs()
    diff_id = hashlib.sha256(layer).hexdigest()
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Cmd": command or CONTAINER_COMMAND, "Env": ["PATH=/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{diff_id}"]},
    }
    config_blob = json.dumps(config).encode()
    config_name = f"{hashlib.sha256(config_blob).hexdigest()}.json"
    layers = [f"{diff_id}/layer.tar"]
    manifest = [{"Config": config_name, "RepoTags": [tag] if tag else [], "Layers": layers}]
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, f"{diff_id}/layer.tar", layer)
        _add(tar, config_name, config_blob)
        _add(tar, "manifest.json", json.dumps(manifest).encode())
    return path


def kernel_package(cache: Path) -> Path:
    """The linux-image-*-cloud-amd64 .deb: $KILOCLOUD_TEST_KERNEL_DEB, or apt-get download."""
    if env := os.environ.get("KILOCLOUD_TEST_KERNEL_DEB"):
        return Path(env)
    found = sorted(cache.glob("linux-image-*-cloud-amd64_*.deb"))
    if found:
        return found[-1]
    depends = subprocess.run(
        ["apt-cache", "depends", "linux-image-cloud-amd64"], capture_output=True, text=True
    ).stdout
    package = next(w for w in depends.split() if w.startswith("linux-image-6"))
    subprocess.run(["apt-get", "download", "-q", package], cwd=cache, check=True, timeout=600)
    return sorted(cache.glob("linux-image-*-cloud-amd64_*.deb"))[-1]


def vm_kernel_and_initramfs(cache: Path) -> tuple[Path, Path]:
    """(vmlinuz, initramfs.cpio.gz) of the test VM, built once into `cache`."""
    kernel, initramfs = cache / "vmlinuz", cache / "initramfs.cpio.gz"
    if kernel.exists() and initramfs.exists():
        return kernel, initramfs
    tree = cache / "kernel-package"
    subprocess.run(["dpkg-deb", "-x", str(kernel_package(cache)), str(tree)], check=True)
    kernel.write_bytes(_with_plain_partition_table(next((tree / "boot").glob("vmlinuz-*"))))
    modules = next((tree / "lib" / "modules").iterdir()) / "kernel"
    files = {"init": (VM_INIT.encode(), 0o755), "bin/busybox": (BUSYBOX.read_bytes(), 0o755)}
    for module in VM_MODULES:
        files[f"lib/modules/{Path(module).name}"] = ((modules / module).read_bytes(), 0o644)
    initramfs.write_bytes(gzip.compress(_newc(files), compresslevel=1))
    shutil.rmtree(tree)
    return kernel, initramfs


def _with_plain_partition_table(vmlinuz: Path) -> bytes:
    """The kernel with a tidy MBR partition table in its legacy boot sector.

    A bzImage ends its first sector with the MBR signature, so the image service inspects it as
    a partitioned disk and refuses the 0xff padding where partition entries would be. Those
    bytes (0x1be-0x1f0) belong to the boot sector code no boot loader runs; the kernel header
    QEMU reads starts at 0x1f1.
    """
    data = bytearray(vmlinuz.read_bytes())
    entry = bytes([0, 0, 2, 0, 0x83, 0, 0, 0]) + (1).to_bytes(4, "little") * 2
    data[0x1BE:0x1F1] = entry + bytes(0x1F1 - 0x1BE - len(entry))
    return bytes(data)


def _newc(files: dict[str, tuple[bytes, int]]) -> bytes:
    """A cpio archive in the newc format the kernel unpacks as its initramfs."""
    out = io.BytesIO()
    folders = sorted({str(p) for name in files for p in Path(name).parents if str(p) != "."})
    entries = [(d, b"", 0o040755) for d in ["dev", "proc", "sys", "mnt", "tmp", *folders]]
    entries += [(name, data, 0o100000 | mode) for name, (data, mode) in files.items()]
    for ino, (name, data, mode) in enumerate([*entries, ("TRAILER!!!", b"", 0)], start=1):
        encoded = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(encoded), 0]
        out.write(b"070701" + "".join(f"{f:08x}" for f in fields).encode() + encoded)
        out.write(b"\0" * (-(110 + len(encoded)) % 4) + data + b"\0" * (-len(data) % 4))
    return out.getvalue()
