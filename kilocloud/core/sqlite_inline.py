"""SQLite run inline on the event loop: an asyncio SQLAlchemy dialect for ORM sessions, and
a bare connection with AsyncConnection's execute methods for Core statements.

aiosqlite hands every call to a thread and back, which costs several times what SQLite spends
answering a query on a local file. Here the calls run where they are made: readers in WAL mode
never wait for a lock, and writers in one process are queued by Database's write lock, so the
loop is only held for as long as SQLite works. The bare connection also skips the greenlet
that SQLAlchemy's asyncio layer enters for each call, which cost three times the query itself.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Executable, pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, Connection, CursorResult, Dialect
from sqlalchemy.util.concurrency import await_

DRIVER = "kilocloud_inline"


class Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """Nothing to release early: rows are read in this thread whenever asked."""


class DBAPIConnection(sqlite3.Connection):
    def cursor(self, factory: type[sqlite3.Cursor] = Cursor) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory)


async def _nothing() -> None:
    return None


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, presented as an asyncio driver to SQLAlchemy's asyncio extension."""

    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        return pool.AsyncAdaptedQueuePool

    def create_connect_args(self, url: URL) -> tuple[list[Any], dict[str, Any]]:
        args, kwargs = super().create_connect_args(url)
        return args, {**kwargs, "factory": DBAPIConnection}

    # The asyncio extension insists that each execute awaited something: a finished
    # coroutine satisfies it without a trip through the event loop.
    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        super().do_execute(cursor, statement, parameters, context)
        await_(_nothing())

    def do_executemany(
        self, cursor: Any, statement: Any, parameters: Any, context: Any = None
    ) -> None:
        super().do_executemany(cursor, statement, parameters, context)
        await_(_nothing())

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        super().do_execute_no_params(cursor, statement, context)
        await_(_nothing())


dialect = InlineSQLiteDialect
registry.register(f"sqlite.{DRIVER}", __name__, "dialect")


class InlineConnection:
    """A synchronous SQLAlchemy connection offering AsyncConnection's execute methods."""

    __slots__ = ("sync",)

    def __init__(self, sync: Connection) -> None:
        self.sync = sync

    @property
    def dialect(self) -> Dialect:
        """The connection's dialect."""
        return self.sync.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> CursorResult:
        """Run a Core statement; read its rows before the connection closes."""
        return self.sync.execute(statement, parameters)

    async def exec_driver_sql(self, statement: str, parameters: Any = None) -> CursorResult:
        """Run SQL text with the driver's parameter style."""
        return self.sync.exec_driver_sql(statement, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:  # noqa: ANN401
        """The first column of the statement's first row, or None."""
        return self.sync.scalar(statement, parameters)
