"""Choosing QEMU's accelerator: KVM when it really runs guest code here, TCG otherwise.

/dev/kvm can exist and accept a VM yet never run it (nested virtualization that hangs), so
the probe boots QEMU's firmware and waits, time-boxed, for SeaBIOS to report on its debug
port that it found nothing to boot.
"""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
from pathlib import Path

FIRMWARE_DONE = b"No bootable device"


async def choose(binary: str, wanted: str, timeout: float) -> str | None:
    """kvm or tcg as configured (auto: kvm if it works); None when QEMU cannot run at all."""
    if wanted != "auto":
        return wanted
    if os.path.exists("/dev/kvm") and await firmware_runs(binary, "kvm", timeout):
        return "kvm"
    return "tcg" if await firmware_runs(binary, "tcg", timeout) else None


async def firmware_runs(binary: str, accel: str, timeout: float) -> bool:
    """Whether QEMU with `accel` runs its firmware to the end within `timeout` seconds."""
    with tempfile.TemporaryDirectory(prefix="kilocloud-accel-") as tmp:
        log = Path(tmp) / "firmware.log"
        # coreutils' timeout ends QEMU even if this process dies first; with nothing to boot
        # the firmware reboots at once, which -no-reboot turns into QEMU's exit
        argv = ["timeout", "--signal=KILL", str(timeout + 5), binary, "-accel", accel]
        argv += ["-machine", "q35", "-nodefaults", "-no-user-config", "-display", "none"]
        argv += ["-boot", "reboot-timeout=0", "-no-reboot", "-debugcon", f"file:{log}"]
        argv += ["-global", "isa-debugcon.iobase=0x402"]
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            return await _wait_for_firmware(proc, log, timeout)
        finally:
            if proc.returncode is None:
                os.killpg(proc.pid, signal.SIGKILL)  # timeout and the QEMU it runs
                await asyncio.wait_for(proc.wait(), 10)


async def _wait_for_firmware(proc: asyncio.subprocess.Process, log: Path, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if log.exists() and FIRMWARE_DONE in log.read_bytes():
            return True
        if proc.returncode is not None:
            return False
        await asyncio.sleep(0.05)
    return False
