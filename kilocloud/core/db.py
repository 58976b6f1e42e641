"""The SQL engine, sessions and the declarative base shared by every service's tables."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import os
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import DateTime, MetaData, create_engine, event, text
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Engine, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

from kilocloud.core import sqlite_inline
from kilocloud.core.errors import Unavailable
from kilocloud.core.sqlite_inline import InlineConnection

LOG = logging.getLogger(__name__)
# how SQLite, MySQL/MariaDB and PostgreSQL say a write found no room (SQLite reports a file
# size limit, EFBIG, as a disk I/O error)
OUT_OF_SPACE = (
    "database or disk is full",
    "disk I/O error",
    "No space left on device",
    "could not extend file",
    "is full",
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_ASYNC_DRIVERS = {
    "sqlite": sqlite_inline.DRIVER,
    "mysql": "asyncmy",
    "mariadb": "asyncmy",
    "postgresql": "asyncpg",
}


def utcnow() -> datetime.datetime:
    """Naive UTC now, the form every timestamp column stores."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


# MySQL's and MariaDB's plain DATETIME keeps whole seconds; every other backend keeps microseconds.
Timestamp = DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
"""The column type of every timestamp: naive UTC, to the microsecond on every backend."""

Connection = AsyncConnection | InlineConnection
"""A bare connection for Core statements: `await conn.execute(stmt, params)`."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def async_url(url: str) -> str:
    """Map an oslo.db style URL (mysql+pymysql://, postgresql://) to its asyncio driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError(f"unsupported database backend: {backend}")
    return parsed.set(drivername=f"{backend}+{_ASYNC_DRIVERS[backend]}").render_as_string(
        hide_password=False
    )


def _private_sqlite_files(url: str) -> None:
    """Make the database file (and the WAL and shared-memory files SQLite gives the same mode)
    readable by this user only, whatever the directory's mode or the umask; warn when the
    directory itself lets others in."""
    path = make_url(url).database
    if not path or path == ":memory:":
        return
    path = os.path.abspath(path)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for name in (path, f"{path}-wal", f"{path}-shm", f"{path}-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(name, 0o600)
    folder = os.path.dirname(path)
    if os.stat(folder).st_mode & 0o077:
        LOG.warning(
            "%s is readable by other users (mode %o); it holds the database, keys and image "
            "data: chmod 700 it",
            folder,
            stat.S_IMODE(os.stat(folder).st_mode),
        )


def _storage_full(context: ExceptionContext) -> Exception | None:
    """A database that cannot grow (full disk, size limit) is a 503, not a 500."""
    text_ = str(context.original_exception)
    if any(sign in text_ for sign in OUT_OF_SPACE):
        return Unavailable("The database is out of space (or cannot be written); try later.")
    return None


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API hook
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Database:
    """One engine, read sessions, and write transactions (serialized on SQLite)."""

    def __init__(self, url: str, pool_size: int = 10) -> None:
        self.url = async_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        # SQLite too keeps its connections: one opened per request (with its PRAGMAs and a
        # statement cache started cold) cost three times the queries it served.
        kwargs: dict = {"pool_size": pool_size, "max_overflow": pool_size * 2}
        if not self.is_sqlite:
            kwargs.update(pool_pre_ping=True, pool_recycle=3600)
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            _private_sqlite_files(self.url)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(self.engine.sync_engine, "handle_error", _storage_full)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: queue writers here instead of failing on "locked".
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self._inline = _inline_engine(self.url, pool_size) if self.is_sqlite else None
        if self._inline is not None:
            event.listen(self._inline, "handle_error", _storage_full)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries; nothing it does is committed."""
        async with self._sessions() as session:
            yield session

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        """A bare connection for Core queries: cheaper than a session when no ORM is needed."""
        if self._inline is not None:
            with self._inline.connect() as sync:
                yield InlineConnection(sync)
            return
        async with self.engine.connect() as conn:
            yield conn

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """A bare connection in one transaction, committed on success, rolled back on error."""
        if self._inline is not None:
            async with self._write_lock:
                with self._inline.begin() as sync:
                    yield InlineConnection(sync)
            return
        async with self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction, committed on success and rolled back on error."""
        if self._write_lock is None:
            async with self._sessions() as session, session.begin():
                yield session
            return
        async with self._write_lock, self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        if self._inline is not None:
            self._inline.dispose()


def _inline_engine(url: str, pool_size: int) -> Engine:
    """The synchronous engine behind SQLite's bare connections, used inline on the loop.

    Its pool never makes a caller wait (no overflow limit): a wait would block the loop.
    """
    sync_url = make_url(url).set(drivername="sqlite")
    engine = create_engine(sync_url, pool_size=pool_size, max_overflow=-1)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine
