"""SQLite's files are private to the service, and a database that cannot grow is a 503."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from sqlalchemy import event, text

from kilocloud.core.db import Database
from kilocloud.core.errors import Unavailable


def _mode(path) -> int:  # noqa: ANN001
    return stat.S_IMODE(os.stat(path).st_mode)


async def test_database_and_wal_are_0600_in_an_open_directory(tmp_path, caplog) -> None:
    os.chmod(tmp_path, 0o755)
    old = os.umask(0o022)
    try:
        with caplog.at_level(logging.WARNING):
            db = Database(f"sqlite:///{tmp_path}/kilocloud.db", pool_size=1)
        async with db.transaction() as conn:
            await conn.execute(text("CREATE TABLE t (x TEXT)"))
        async with db.write() as session:
            await session.execute(text("INSERT INTO t VALUES ('secret')"))
        names = ["kilocloud.db", "kilocloud.db-wal", "kilocloud.db-shm"]
        assert {name: _mode(tmp_path / name) for name in names} == dict.fromkeys(names, 0o600)
        assert "readable by other users (mode 755)" in caplog.text
        await db.dispose()
    finally:
        os.umask(old)


async def test_full_database_is_unavailable_and_reads_go_on(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path}/kilocloud.db", pool_size=1)

    def cap(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API hook
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA max_page_count=40")
        cur.close()

    for engine in (db.engine.sync_engine, db._inline):
        event.listen(engine, "connect", cap)
    async with db.transaction() as conn:
        await conn.execute(text("CREATE TABLE t (x TEXT)"))
    with pytest.raises(Unavailable, match="out of space"):
        for _ in range(200):
            async with db.write() as session:
                await session.execute(text("INSERT INTO t VALUES (:x)"), {"x": "x" * 4000})
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() > 0
    await db.dispose()
