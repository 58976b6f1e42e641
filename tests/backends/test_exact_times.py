"""Times survive the database exactly on MariaDB, PostgreSQL and SQLite, also after migrating."""

from __future__ import annotations

import asyncio
import datetime

import pytest
from alembic import command
from sqlalchemy import text

from kilocloud import migrations
from kilocloud.core.db import Database

ISSUED = 1_796_000_000.123456  # a 2026 epoch time: a 4-byte FLOAT rounds it to 128 s
# the same instant in whole seconds, as a DATETIME kept it
REVOKED = datetime.datetime.fromtimestamp(int(ISSUED), datetime.UTC).replace(tzinfo=None)


@pytest.fixture(params=["mariadb", "postgresql", "sqlite"])
def db_url(request: pytest.FixtureRequest, throwaway_database, tmp_path) -> str:  # noqa: ANN001
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/kc.db"
    return throwaway_database(request.param)


async def _upgrade(db: Database, target: str) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(migrations._config(sync), target))


async def _migrate_an_old_event(url: str) -> tuple[int, datetime.datetime]:
    db = Database(url, pool_size=1)
    try:
        await _upgrade(db, "identity_0001")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO revocation_events (user_id, issued_before, revoked_at)"
                    " VALUES ('u1', :issued, :revoked)"
                ),
                {"issued": ISSUED, "revoked": REVOKED},
            )
        await migrations.upgrade(db)
        async with db.engine.begin() as conn:
            stamp = datetime.datetime(2026, 12, 1, 1, 2, 3, 456789)
            await conn.execute(text("UPDATE revocation_events SET revoked_at = :s"), {"s": stamp})
            row = (await conn.execute(text("SELECT * FROM revocation_events"))).mappings().one()
        return row["issued_before_us"], row["revoked_at"]
    finally:
        await db.dispose()


def test_old_revocation_events_convert_to_microseconds_never_earlier(db_url: str) -> None:
    issued_us, revoked_at = asyncio.run(_migrate_an_old_event(db_url))
    exact = round(ISSUED * 1_000_000)
    if db_url.startswith("mysql"):
        # the FLOAT lost the time; it is rebuilt from revoked_at, rounded up by one second
        assert exact <= issued_us <= exact + 1_000_000
    else:
        assert issued_us == exact
    assert str(revoked_at) == "2026-12-01 01:02:03.456789"  # SQLite answers raw SQL in text
