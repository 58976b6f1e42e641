"""Throwaway databases on the real MariaDB and PostgreSQL servers of this machine."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

# admin URL (asyncio driver) and the URL form an operator writes in [database] connection
SERVERS = {
    "mariadb": ("mysql+asyncmy://root@127.0.0.1:3306/mysql", "mysql+pymysql://root@127.0.0.1:3306"),
    "postgresql": (
        "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        "postgresql://postgres@127.0.0.1:5432",
    ),
}


async def _run(admin_url: str, statement: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def throwaway_database() -> Iterator[Callable[[str], str]]:
    """Make an empty database on a backend; returns its oslo.db-style URL. Dropped at the end."""
    made: list[tuple[str, str]] = []

    def make(backend: str) -> str:
        admin_url, base = SERVERS[backend]
        name = f"kc_test_{uuid.uuid4().hex[:12]}"
        asyncio.run(_run(admin_url, f"CREATE DATABASE {name}"))
        made.append((admin_url, name))
        return f"{base}/{name}"

    yield make
    for admin_url, name in made:
        force = " WITH (FORCE)" if admin_url.startswith("postgresql") else ""
        asyncio.run(_run(admin_url, f"DROP DATABASE IF EXISTS {name}{force}"))
