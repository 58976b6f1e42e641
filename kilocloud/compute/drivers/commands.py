"""Running host programs without blocking the event loop, and never without a time limit."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Mapping

from kilocloud.compute.drivers.errors import CommandFailed

CHUNK = 1 << 20


async def run(
    *argv: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 120,
    check: bool = True,
    cwd: str | os.PathLike | None = None,
) -> str:
    """Run argv to completion and return its stdout; CommandFailed on error or timeout."""
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_environ(env),
        cwd=cwd,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise CommandFailed(f"{argv[0]} {argv[1] if len(argv) > 1 else ''} timed out") from None
    if check and proc.returncode:
        raise CommandFailed(f"{' '.join(argv[:2])} failed: {err.decode(errors='replace')[-500:]}")
    return out.decode(errors="replace")


async def stream(
    *argv: str, env: Mapping[str, str] | None = None, timeout: float = 3600
) -> AsyncIterator[bytes]:
    """Yield argv's stdout in chunks as it comes; CommandFailed when it exits non-zero."""
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_environ(env),
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        async with asyncio.timeout(timeout):
            while chunk := await proc.stdout.read(CHUNK):
                yield chunk
            err = await proc.stderr.read()
            await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    if proc.returncode:
        raise CommandFailed(f"{' '.join(argv[:2])} failed: {err.decode(errors='replace')[-500:]}")


def _environ(extra: Mapping[str, str] | None) -> dict[str, str] | None:
    return {**os.environ, **extra} if extra else None
