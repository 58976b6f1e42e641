"""Alembic migrations: one forward-only history, one branch per service, run in-process."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from kilocloud.core.db import Database

HERE = Path(__file__).parent


def _config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(db: Database) -> None:
    """Bring the schema of every service to its newest revision."""
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(_config(sync), "heads"))


async def current(db: Database) -> list[str]:
    """The revisions the database is at, one per service branch."""
    async with db.engine.connect() as conn:
        heads = await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return sorted(heads)


async def is_current(db: Database) -> bool:
    """Whether the database already has every head revision (so start-up can skip Alembic)."""
    script = ScriptDirectory.from_config(_config())
    applied = await current(db)
    # a revision another branch depends_on leaves the version table once that branch is applied
    reached = {r.revision for r in script.iterate_revisions(tuple(applied), "base")}
    return set(script.get_heads()) <= reached
