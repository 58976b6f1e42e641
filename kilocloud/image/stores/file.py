"""The file store: one file per image under a directory, written then renamed into place."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
from collections.abc import AsyncGenerator, AsyncIterator
from urllib.parse import urlparse

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core.errors import Gone, TooLarge, Unavailable
from kilocloud.image.stores.base import CHUNK, DataNotFound

READ_CHUNK = 4 * CHUNK


class FileStore:
    """Image data as files named after the image id."""

    kind = "file"

    def __init__(self, conf: cfg.ConfigOpts, name: str, group: str) -> None:
        self.name = name
        datadir = conf[group].filesystem_store_datadir
        self.datadir = datadir or os.path.join(config.state_dir(conf), "images", name)
        os.makedirs(self.datadir, mode=0o700, exist_ok=True)

    def _path(self, location: str) -> str:
        path = urlparse(location).path
        if os.path.dirname(path) != self.datadir:
            raise DataNotFound("Image data is not in this store.")
        return path

    async def add(self, image_id: str, chunks: AsyncIterator[bytes]) -> str:
        """Write the chunks to a temporary file, renamed to the image id once complete."""
        final = os.path.join(self.datadir, image_id)
        partial = f"{final}.part"
        try:
            fh = await asyncio.to_thread(open, partial, "wb")
        except OSError as exc:
            raise write_error(exc) from None
        try:
            async for chunk in chunks:
                await asyncio.to_thread(fh.write, chunk)
            await asyncio.to_thread(fh.close)
            _rename(partial, final)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                fh.close()
            _unlink(partial)
            if isinstance(exc, OSError):
                raise write_error(exc) from None
            raise
        return f"file://{final}"

    async def open(
        self, location: str, offset: int = 0, length: int | None = None
    ) -> AsyncGenerator[bytes, None]:
        """Read the file in large chunks in worker threads, one read ahead of the sender."""
        path = self._path(location)
        try:
            fd = await asyncio.to_thread(os.open, path, os.O_RDONLY)
        except FileNotFoundError:
            raise DataNotFound("Image data is missing from the store.") from None
        remaining = length if length is not None else os.fstat(fd).st_size - offset
        ahead = _read(fd, min(READ_CHUNK, remaining), offset)
        try:
            while remaining > 0:
                chunk = await ahead
                if not chunk:
                    break
                offset += len(chunk)
                remaining -= len(chunk)
                ahead = _read(fd, min(READ_CHUNK, remaining), offset)
                yield chunk
        finally:
            await asyncio.gather(ahead, return_exceptions=True)
            os.close(fd)

    async def size(self, location: str) -> int:
        """Size of the file."""
        try:
            return os.stat(self._path(location)).st_size
        except FileNotFoundError:
            raise DataNotFound("Image data is missing from the store.") from None

    async def delete(self, location: str) -> None:
        """Remove the file."""
        _unlink(self._path(location))

    async def discard_partial(self, image_id: str) -> None:
        """Remove the temporary file of an upload that never finished."""
        _unlink(os.path.join(self.datadir, f"{image_id}.part"))

    def details(self) -> dict[str, object]:
        """Where the files are and how much is read at a time."""
        return {"data_dir": self.datadir, "chunk_size": READ_CHUNK, "thin_provisioning": False}

    async def close(self) -> None:
        """Nothing to release."""


def write_error(exc: OSError) -> Exception:
    """The API error of a failed write to disk, as glance_store's filesystem driver names
    them: StorageFull (413), StorageWriteDenied (503)."""
    if exc.errno in (errno.ENOSPC, errno.EFBIG):
        return TooLarge(f"Image storage media is full: {exc.strerror}")
    if exc.errno == errno.EACCES:
        return Unavailable(f"Insufficient permissions on image storage media: {exc.strerror}")
    return exc


def _read(fd: int, size: int, offset: int) -> asyncio.Future[bytes]:
    """Start reading `size` bytes at `offset` in a worker thread."""
    return asyncio.ensure_future(asyncio.to_thread(os.pread, fd, size, offset))


def _rename(partial: str, final: str) -> None:
    try:
        os.replace(partial, final)
    except FileNotFoundError:
        # discard_partial() took it: the image was deleted during the upload
        raise Gone("Image was deleted while its data was being uploaded.") from None


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
