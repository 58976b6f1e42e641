"""The staging area: image data written by /stage (and fetched by import) before it is stored."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from urllib.parse import urlparse

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core.errors import TooLarge
from kilocloud.image.stores.file import write_error

BLOCK = 4 << 20  # bytes gathered before one write: a thread hop per network chunk costs more


def directory(conf: cfg.ConfigOpts) -> str:
    """The staging directory node_staging_uri names (STATE_DIR/staging by default), created."""
    uri = conf.node_staging_uri
    path = urlparse(uri).path if uri else os.path.join(config.state_dir(conf), "staging")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def path(conf: cfg.ConfigOpts, image_id: str) -> str:
    """Where the staged data of `image_id` is kept."""
    return os.path.join(directory(conf), image_id)


async def write(target: str, chunks: AsyncIterator[bytes], limit: int) -> int:
    """Stream `chunks` into `target`, written a block at a time in a thread; 413 past `limit`."""
    written = pending = 0
    held: list[bytes] = []
    try:
        fh = await asyncio.to_thread(open, target, "wb")
    except OSError as exc:
        raise write_error(exc) from None
    try:
        async for chunk in chunks:
            written += len(chunk)
            if written > limit:
                raise TooLarge(f"Image data exceeds the size cap of {limit} bytes.")
            held.append(chunk)
            pending += len(chunk)
            if pending >= BLOCK:
                await asyncio.to_thread(fh.writelines, held)
                held, pending = [], 0
        await asyncio.to_thread(fh.writelines, held)
        await asyncio.to_thread(fh.close)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            fh.close()
        discard(target)
        if isinstance(exc, OSError):
            raise write_error(exc) from None
        raise
    return written


def discard_all(conf: cfg.ConfigOpts, image_id: str) -> None:
    """Remove the staged data of `image_id` and every scratch file made from it."""
    base = directory(conf)
    for name in os.listdir(base):
        if name == image_id or name.startswith(f"{image_id}."):
            discard(os.path.join(base, name))


def discard(target: str) -> None:
    """Remove a staged or scratch file; a missing one is fine."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
