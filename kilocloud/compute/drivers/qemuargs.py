"""QEMU's command line for one server.

Sockets, log and pid file are named relative to the server's folder, QEMU's cwd until it
daemonizes (unix socket paths must be short); what QEMU may open again later (disks when a
migration ends, migration files) is named in full.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from kilocloud.compute.drivers.base import InstanceSpec

DISK, CONFIG_ISO, CONSOLE_LOG = "disk.qcow2", "config.iso", "console.log"
QMP_SOCKET, SERIAL_SOCKET, PID_FILE = "qmp.sock", "serial.sock", "qemu.pid"
SAVED_STATE = "suspended.state"


def command(
    binary: str,
    accel: str,
    machine: str,
    home: Path,
    spec: InstanceSpec,
    record: dict,
    taps: list[str],
) -> list[str]:
    """argv that starts a server's QEMU in the background, as `record` describes its boot."""
    cpu = "host" if accel == "kvm" else "max"
    argv = [binary, "-name", f"kc-{spec.uuid}", "-uuid", spec.uuid]
    argv += ["-machine", f"{machine},accel={accel}", "-cpu", cpu]
    argv += ["-m", str(spec.flavor.memory_mb), "-smp", str(spec.flavor.vcpus)]
    argv += ["-nodefaults", "-no-user-config", "-display", "none"]
    argv += ["-chardev", f"socket,id=serial0,path={SERIAL_SOCKET},server=on,wait=off,"]
    argv[-1] += f"logfile={CONSOLE_LOG},logappend=on"
    argv += ["-serial", "chardev:serial0", "-qmp", f"unix:{QMP_SOCKET},server=on,wait=off"]
    argv += ["-pidfile", PID_FILE, "-daemonize"]
    argv += ["-drive", f"file={home / DISK},if=virtio,format=qcow2,discard=unmap"]
    if record.get("kernel"):
        argv += ["-kernel", record["kernel"], "-append", record["cmdline"]]
    if record.get("ramdisk"):
        argv += ["-initrd", record["ramdisk"]]
    if record.get("config_drive"):
        argv += ["-drive", f"file={home / CONFIG_ISO},if=virtio,format=raw,readonly=on"]
    for index, (tap, vif) in enumerate(zip(taps, spec.vifs, strict=True)):
        argv += ["-netdev", f"tap,id=net{index},ifname={tap},script=no,downscript=no"]
        argv += ["-device", f"virtio-net-pci,netdev=net{index},mac={vif.mac}"]
    argv += ["-device", "virtio-rng-pci"]
    return argv


def incoming(saved: Path) -> list[str]:
    """Arguments that resume a server from its saved memory state."""
    return ["-incoming", f"exec:cat {shlex.quote(str(saved))}"]


def save_to(target: Path) -> str:
    """The migration URI that writes a server's memory state to target (QEMU's cwd is /)."""
    return f"exec:cat > {shlex.quote(str(target))}"
