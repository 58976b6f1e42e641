"""Group commit: concurrent message posts share one transaction and one multi-row INSERT."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import insert

from kilocloud.core.db import Database
from kilocloud.messaging.models import Message

TABLE = Message.__table__


class PostBatcher:
    """Inserts message rows, coalescing those of posts that arrive while a write runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._rows: list[dict[str, Any]] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task | None = None

    async def insert(self, rows: list[dict[str, Any]]) -> None:
        """Return once `rows` are committed (possibly with other posts' rows)."""
        done = asyncio.get_running_loop().create_future()
        self._rows.extend(rows)
        self._waiters.append(done)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._rows:
            rows, waiters = self._rows, self._waiters
            self._rows, self._waiters = [], []
            try:
                async with self.db.write() as session:
                    await session.execute(insert(TABLE), rows)
            except Exception as exc:  # every post in the failed batch learns why
                for waiter in waiters:
                    waiter.set_exception(exc)
            else:
                for waiter in waiters:
                    waiter.set_result(None)
