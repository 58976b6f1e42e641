"""Alembic migrations: one forward-only history, one branch per service, run in-process.

Alembic is imported only to migrate: a start on a current schema reads the version table
and the revision ids of the scripts, and nothing more."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kilocloud.core.db import Database

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

HERE = Path(__file__).parent
# which plugins Alembic sets up as it is imported is no news to an operator; the revisions
# it applies are
logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
_ASSIGNED = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(db: Database) -> None:
    """Bring the schema of every service to its newest revision."""
    from alembic import command

    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(_config(sync), "heads"))


async def current(db: Database) -> list[str]:
    """The revisions the database is at, one per service branch."""
    from alembic.runtime.migration import MigrationContext

    async with db.engine.connect() as conn:
        heads = await conn.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return sorted(heads)


def script_heads() -> set[str]:
    """The newest revision of each branch, read from the scripts' own assignments."""
    revisions, parents = set(), set()
    for script in (HERE / "versions").glob("*.py"):
        found = dict(_ASSIGNED.findall(script.read_text()))
        revisions.add(ast.literal_eval(found["revision"]))
        down = ast.literal_eval(found["down_revision"])
        parents.update(down if isinstance(down, tuple | list) else [down])
    return revisions - parents


async def _recorded(db: Database) -> set[str]:
    try:
        async with db.engine.connect() as conn:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows}
    except DBAPIError:  # no version table yet: an empty database
        return set()


async def is_current(db: Database) -> bool:
    """Whether the database already has every head revision (so start-up can skip Alembic)."""
    recorded = await _recorded(db)
    if recorded == script_heads():
        return True
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    # a revision another branch depends_on leaves the version table once that branch is applied
    reached = {r.revision for r in script.iterate_revisions(tuple(recorded), "base")}
    return set(script.get_heads()) <= reached
