"""A QMP client: one command per connection to a QEMU's monitor socket, time-boxed."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from kilocloud.compute.drivers.errors import CommandFailed


async def execute(socket: Path, command: str, timeout: float = 10, **arguments: object) -> object:
    """Run one QMP command and return its `return` value; CommandFailed on error or timeout."""
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await open_unix(socket)
            try:
                await reader.readline()  # the greeting
                await _call(reader, writer, "qmp_capabilities", {})
                return await _call(reader, writer, command, arguments)
            finally:
                writer.close()
    except (OSError, TimeoutError) as exc:
        raise CommandFailed(f"QMP {command}: {exc or 'timed out'}") from None


async def _call(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, command: str, arguments: dict
) -> object:
    message = {"execute": command, **({"arguments": arguments} if arguments else {})}
    writer.write(json.dumps(message).encode() + b"\n")
    await writer.drain()
    while line := await reader.readline():
        reply = json.loads(line)
        if "error" in reply:
            raise CommandFailed(f"QMP {command}: {reply['error'].get('desc')}")
        if "return" in reply:
            return reply["return"]
    raise CommandFailed(f"QMP {command}: the monitor closed")


async def open_unix(path: Path) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Connect to a unix socket, also one whose path is longer than sun_path allows."""
    if len(os.fsencode(path)) < 100:
        return await asyncio.open_unix_connection(str(path))
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:  # the kernel follows /proc/self/fd/N to the folder: a short path to the same socket
        return await asyncio.open_unix_connection(f"/proc/self/fd/{folder}/{path.name}")
    finally:
        os.close(folder)
