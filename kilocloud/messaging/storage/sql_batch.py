"""Group commit: concurrent message posts share one transaction and one multi-row INSERT."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import sqlite

from kilocloud.core.db import Database
from kilocloud.messaging.models import Message
from kilocloud.messaging.storage import sql_markers as markers

INSERT = insert(Message.__table__)
# The keys of sql_rows.message_rows, and the marker.
COLUMNS = [
    "id", "project", "queue", "marker", "body", "ttl", "created_at", "expires_at",
    "delay_until", "client_id", "checksum", "claim_count",
]  # fmt: skip
# SQLAlchemy's per-row parameter processing cost more than SQLite's insert of the row; sqlite3
# takes the rows as they are, with times in the text form SQLAlchemy stores them in.
SQLITE_INSERT = str(INSERT.compile(dialect=sqlite.dialect(paramstyle="named"), column_keys=COLUMNS))


def _sqlite_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, their times turned to text in place."""
    for row in rows:
        row["created_at"] = row["created_at"].isoformat(" ", "microseconds")
        row["expires_at"] = row["expires_at"].isoformat(" ", "microseconds")
        if row["delay_until"] is not None:
            row["delay_until"] = row["delay_until"].isoformat(" ", "microseconds")
    return rows


class PostBatcher:
    """Inserts message rows, coalescing those of posts that arrive while a write runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect = db.engine.dialect.name
        self._rows: list[dict[str, Any]] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flushing = False
        self._handover: asyncio.Task | None = None

    async def insert(self, rows: list[dict[str, Any]]) -> None:
        """Return once `rows` are committed (possibly with other posts' rows)."""
        done = asyncio.get_running_loop().create_future()
        self._rows.extend(rows)
        self._waiters.append(done)
        if not self._flushing:
            # The first poster writes for everyone who arrives meanwhile: no task hop.
            await self._flush_all()
        await done

    async def _flush_all(self) -> None:
        """Flush until nothing is pending; a poster cancelled meanwhile hands over to a task."""
        self._flushing = True
        try:
            # Posts already waiting on the loop join this transaction: with SQLite run inline
            # a write never yields, so without this turn each post would commit on its own.
            await asyncio.sleep(0)
            await self._flush()
        finally:
            self._flushing = False
            if self._rows:
                self._handover = asyncio.create_task(self._flush_all())

    async def _flush(self) -> None:
        while self._rows:
            rows, waiters = self._rows, self._waiters
            self._rows, self._waiters = [], []
            try:
                async with self.db.transaction() as conn:
                    await markers.assign(conn, self.dialect, rows)
                    if self.dialect == "sqlite":
                        await conn.exec_driver_sql(SQLITE_INSERT, _sqlite_rows(rows))
                    else:
                        await conn.execute(INSERT, rows)
            except Exception as exc:  # every post in the failed batch learns why
                for waiter in waiters:
                    waiter.set_exception(exc)
            else:
                for waiter in waiters:
                    waiter.set_result(None)
