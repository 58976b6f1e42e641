"""`kilocloud db upgrade|current`: the schema of the configured database."""

from __future__ import annotations

import argparse
import asyncio
import logging

from kilocloud import migrations
from kilocloud.cli import main
from kilocloud.core import config
from kilocloud.core.db import Database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `db`."""
    parser.add_argument("action", choices=("upgrade", "current"), help="what to do")


async def _act(url: str, action: str) -> list[str]:
    db = Database(url, pool_size=1)
    try:
        if action == "upgrade":
            await migrations.upgrade(db)
        return await migrations.current(db)
    finally:
        await db.dispose()


def run(args: argparse.Namespace) -> int:
    """Upgrade the schema to every head (`upgrade`) and print the revisions it is at."""
    conf = main.conf_from_args(args)
    if args.action == "current":  # only `upgrade` has something to tell in Alembic's log
        logging.getLogger("alembic").setLevel(logging.WARNING)
    revisions = asyncio.run(_act(config.database_url(conf), args.action))
    for revision in revisions or ["(empty database)"]:
        print(revision)
    return 0
