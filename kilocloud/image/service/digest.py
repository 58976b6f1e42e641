"""Checksums and format inspection of a data stream, computed in threads beside the upload."""

from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from kilocloud.image import formats

PENDING = 8  # futures in flight across both threads: bounds memory to a few blocks


class Digests:
    """MD5 (and the format inspectors) in one thread, the secure hash in another, side by side."""

    def __init__(self, algorithm: str, inspect: bool) -> None:
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.secure = hashlib.new(algorithm)
        self.detector = formats.Detector() if inspect else None
        self._pools = (ThreadPoolExecutor(1), ThreadPoolExecutor(1))
        self._pending: deque[asyncio.Future] = deque()

    async def feed(self, block: bytes) -> None:
        """Hash `block` in the background; waits only when too many blocks are in flight."""
        loop = asyncio.get_running_loop()
        self._pending.append(loop.run_in_executor(self._pools[0], self._first, block))
        self._pending.append(loop.run_in_executor(self._pools[1], self.secure.update, block))
        while len(self._pending) > PENDING:
            await self._pending.popleft()

    def _first(self, block: bytes) -> None:
        self.md5.update(block)
        if self.detector is not None:
            self.detector.feed(block)

    async def finish(self) -> tuple[str, str]:
        """The MD5 and secure hex digests once every block is hashed."""
        try:
            while self._pending:
                await self._pending.popleft()
        finally:
            self.close()
        return self.md5.hexdigest(), self.secure.hexdigest()

    def close(self) -> None:
        """Stop the hashing threads."""
        for pool in self._pools:
            pool.shutdown(wait=False, cancel_futures=True)

    def virtual_size(
        self, disk_format: str, container_format: str, size: int, strict: bool
    ) -> int | None:
        """The virtual size the data declares; 400 when it is unsafe, or (if `strict`) not the
        declared disk format, whatever the container format."""
        found = self.detector.result() if self.detector is not None else None
        detected = formats.check(found, disk_format, container_format, strict)
        if container_format in formats.ARCHIVES:
            return None
        if disk_format == "raw":
            return size
        return found.virtual_size if found is not None and detected == disk_format else None
