"""Checksums and format inspection of a data stream, computed in threads beside the upload."""

from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from oslo_utils.imageutils import format_inspector

from kilocloud.core.errors import BadRequest

INSPECTABLE = ("qcow2", "vhd", "vhdx", "vmdk", "vdi", "iso")
DISGUISES = ("qcow2", "vhdx", "vmdk", "vdi", "qed", "luks")
PENDING = 8  # futures in flight across both threads: bounds memory to a few blocks


class Digests:
    """MD5 (and the format inspectors) in one thread, the secure hash in another, side by side."""

    def __init__(self, algorithm: str, disk_format: str | None, inspect: bool) -> None:
        self.md5 = hashlib.md5(usedforsecurity=False)
        self.secure = hashlib.new(algorithm)
        self.inspector = None
        self.disguises: list = []
        if inspect and disk_format in INSPECTABLE:
            self.inspector = format_inspector.get_inspector(disk_format)()
        elif inspect and disk_format == "raw":
            self.disguises = [format_inspector.get_inspector(n)() for n in DISGUISES]
        self._fed = 0
        self._failed: set[int] = set()
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
        if self.inspector is not None and not self.inspector.complete:
            self._eat(self.inspector, block)
        if self._fed == 0:
            for inspector in self.disguises:
                self._eat(inspector, block)
        self._fed += 1

    def _eat(self, inspector: format_inspector.FileInspector, block: bytes) -> None:
        if id(inspector) in self._failed:
            return
        try:
            inspector.eat_chunk(block)
        except Exception:  # an inspector failing on the data means "not this format"
            self._failed.add(id(inspector))

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

    def virtual_size(self, disk_format: str | None, size: int, strict: bool) -> int | None:
        """The virtual size the data declares; 400 when it is not the claimed disk format."""
        for inspector in self.disguises:
            if self._matches(inspector) and strict:
                raise BadRequest(f"Image content is {inspector.NAME}, not the declared raw.")
        if disk_format == "raw":
            return size
        if self.inspector is None:
            return None
        if not self._matches(self.inspector):
            if strict:
                raise BadRequest(f"Image content does not match disk_format {disk_format}.")
            return None
        try:
            self.inspector.safety_check()
        except format_inspector.SafetyCheckFailed as exc:
            raise BadRequest(f"Image data failed safety checks: {exc}") from None
        return self.inspector.virtual_size

    def _matches(self, inspector: format_inspector.FileInspector) -> bool:
        if id(inspector) in self._failed:
            return False
        try:
            return bool(inspector.format_match)
        except Exception:  # inspectors that saw too little data cannot claim a match
            return False
