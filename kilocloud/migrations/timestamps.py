"""Widen whole-second DATETIME columns to microseconds on MySQL and MariaDB."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql


def widen(*tables: str) -> None:
    """Make every DATETIME column of `tables` a DATETIME(6), keeping its values and nullability.

    Only MySQL and MariaDB need it: PostgreSQL's TIMESTAMP and SQLite's text keep microseconds.
    """
    bind = op.get_bind()
    if bind.dialect.name not in ("mysql", "mariadb"):
        return
    inspector = sa.inspect(bind)
    for table in tables:
        for column in inspector.get_columns(table):
            kind = column["type"]
            if isinstance(kind, sa.DateTime) and not getattr(kind, "fsp", None):
                op.alter_column(
                    table,
                    column["name"],
                    type_=mysql.DATETIME(fsp=6),
                    existing_type=kind,
                    existing_nullable=column["nullable"],
                )
