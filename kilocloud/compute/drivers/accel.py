"""Choosing QEMU's accelerator: KVM when it really runs guest code here, TCG otherwise.

/dev/kvm can exist and accept a VM yet never run it (nested virtualization that hangs), so
the probe boots QEMU's firmware and waits, time-boxed, for SeaBIOS to report on its debug
port that it found nothing to boot.
"""

from __future__ import annotations

import asyncio
import os
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
        argv = [binary, "-accel", accel, "-machine", "q35", "-nodefaults", "-no-user-config"]
        argv += ["-display", "none", "-debugcon", f"file:{log}"]
        argv += ["-global", "isa-debugcon.iobase=0x402"]
        proc = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            return await _wait_for_firmware(proc, log, timeout)
        finally:
            if proc.returncode is None:
                proc.kill()
                await asyncio.wait_for(proc.wait(), 10)


async def _wait_for_firmware(proc: asyncio.subprocess.Process, log: Path, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline and proc.returncode is None:
        if log.exists() and FIRMWARE_DONE in log.read_bytes():
            return True
        await asyncio.sleep(0.05)
    return False
