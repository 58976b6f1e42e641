"""`kilocloud db upgrade|current`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kilocloud import migrations
from kilocloud.core.db import Database


def is_current(state_dir: Path) -> bool:
    async def check() -> bool:
        db = Database(f"sqlite:///{state_dir}/kilocloud.db")
        try:
            return await migrations.is_current(db)
        finally:
            await db.dispose()

    return asyncio.run(check())


def test_current_on_a_new_database_reports_it_empty(kilocloud) -> None:
    status, out = kilocloud("db", "current")
    assert status == 0
    assert out.strip() == "(empty database)"


def test_upgrade_brings_every_service_branch_to_its_head(kilocloud, tmp_path: Path) -> None:
    status, out = kilocloud("db", "upgrade")
    assert status == 0
    assert is_current(tmp_path)
    assert {line.split("_")[0] for line in out.split()} >= {"identity"}


def test_upgrade_twice_changes_nothing(kilocloud) -> None:
    kilocloud("db", "upgrade")
    status, out = kilocloud("db", "upgrade")
    assert status == 0
    assert kilocloud("db", "current")[1] == out


def test_database_connection_option_chooses_the_database(kilocloud, tmp_path: Path) -> None:
    conf = tmp_path / "kilocloud.conf"
    conf.write_text(f"[database]\nconnection = sqlite:///{tmp_path}/other.db\n")
    status, _ = kilocloud("db", "upgrade", "--config-file", str(conf))
    assert status == 0
    assert (tmp_path / "other.db").exists()
    assert not (tmp_path / "kilocloud.db").exists()
