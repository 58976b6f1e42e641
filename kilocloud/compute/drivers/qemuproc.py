"""QEMU processes found again through their pid files, checked against pid reuse."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from kilocloud.compute.drivers.qemuargs import PID_FILE

CHUNK = 1 << 20


def alive_pid(home: Path, uuid: str) -> int | None:
    """The pid of the server's QEMU if it runs (not a zombie, and really that server's)."""
    try:
        pid = int((home / PID_FILE).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return None
    return pid if uuid.encode() in cmdline and state not in ("Z", "X") else None


async def gone(home: Path, uuid: str, timeout: float) -> bool:
    """Wait up to `timeout` seconds for the server's QEMU to end; whether it did."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while alive_pid(home, uuid) is not None:
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def read_file(path: Path) -> AsyncIterator[bytes]:
    """A file's bytes in chunks, read off the event loop."""
    with open(path, "rb") as f:
        while chunk := await asyncio.to_thread(f.read, CHUNK):
            yield chunk
