"""Running host programs off the event loop, never without a time limit.

The standard library's subprocess runs them in worker threads, not the event loop's own
subprocess support: under uvloop a child's output is a socket that programs which leave a
daemon behind (`podman run --detach` and its conmon) never close, so the output never ends.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
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
    try:
        done = await asyncio.to_thread(
            subprocess.run,
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=_environ(env),
            cwd=cwd,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise CommandFailed(f"{' '.join(argv[:2])} timed out") from None
    if check and done.returncode:
        raise CommandFailed(f"{' '.join(argv[:2])} failed: {_tail(done.stderr)}")
    return done.stdout.decode(errors="replace")


async def stream(*argv: str, env: Mapping[str, str] | None = None) -> AsyncIterator[bytes]:
    """Yield argv's stdout in chunks as it comes; CommandFailed when it exits non-zero."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, env=_environ(env)
        )
        try:
            assert proc.stdout is not None
            while chunk := await asyncio.to_thread(proc.stdout.read, CHUNK):
                yield chunk
            returncode = await asyncio.to_thread(proc.wait)
        finally:
            if proc.poll() is None:
                proc.kill()
                await asyncio.to_thread(proc.wait)
            proc.stdout.close()
        if returncode:
            errors.seek(0)
            raise CommandFailed(f"{' '.join(argv[:2])} failed: {_tail(errors.read())}")


def _tail(stderr: bytes) -> str:
    return stderr.decode(errors="replace")[-500:]


def _environ(extra: Mapping[str, str] | None) -> dict[str, str] | None:
    return {**os.environ, **extra} if extra else None
