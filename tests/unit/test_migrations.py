"""The start-up check of the schema reads the scripts' heads as Alembic does."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from kilocloud import migrations


def test_script_heads_are_alembics_heads():
    assert migrations.script_heads() == set(ScriptDirectory(str(migrations.HERE)).get_heads())
