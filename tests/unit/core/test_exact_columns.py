"""Every timestamp column keeps microseconds on MySQL and MariaDB; no time is a FLOAT."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import DateTime, Float
from sqlalchemy.dialects import mysql

import kilocloud
from kilocloud.core.db import Base


def _columns() -> list:
    for module in pkgutil.walk_packages(kilocloud.__path__, "kilocloud."):
        if module.name.endswith(("models", "task_models")):
            importlib.import_module(module.name)
    return [c for t in Base.metadata.tables.values() for c in t.columns]


def _inexact(column) -> bool:  # noqa: ANN001
    if isinstance(column.type, DateTime):  # use core.db.Timestamp
        return column.type.compile(dialect=mysql.dialect()) != "DATETIME(6)"
    if isinstance(column.type, Float):  # ratios may be; times never (4 bytes on MySQL)
        return column.name.endswith(("_at", "_before", "time", "_until", "expires"))
    return False


def test_times_are_exact_on_mysql() -> None:
    assert [str(c) for c in _columns() if _inexact(c)] == []
