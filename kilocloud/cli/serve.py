"""`kilocloud serve identity|image|messaging|network|all`: one service (or all) in this process."""

from __future__ import annotations

import argparse
import asyncio
import logging

from oslo_config import cfg
from sqlalchemy.exc import SQLAlchemyError

from kilocloud import migrations
from kilocloud.app import available_services
from kilocloud.cli import main, serving
from kilocloud.core import config
from kilocloud.core.db import Database

HELP = "serve one service on its OpenStack default port, or all of them"
DEFAULT_PORTS = {
    "identity": 5000,
    "image": 9292,
    "messaging": 8888,
    "compute": 8774,
    "network": 9696,
    "all": 8770,
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `serve`."""
    parser.add_argument("service", choices=[*available_services(), "all"])
    serving.listen_args(parser, default_port=None)


def run(args: argparse.Namespace) -> int:
    """Serve the chosen service until interrupted; the schema must already be current."""
    overrides = serving.listen_overrides(args)
    overrides["bind_port"] = args.port or DEFAULT_PORTS[args.service]
    conf = main.conf_from_args(args, **overrides)
    _require_current_schema(conf)
    if args.service == "all":
        serving.serve(conf, names=None, standalone=False)
    else:
        serving.serve(conf, names=[args.service], standalone=True)
    return 0


def _require_current_schema(conf: cfg.ConfigOpts) -> None:
    """Exit before listening unless the database has every revision `db upgrade` applies."""
    logging.getLogger("alembic").setLevel(logging.WARNING)  # it has nothing to tell on a read
    try:
        current = asyncio.run(_schema_is_current(config.database_url(conf)))
    except (SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0]
        raise SystemExit(f"cannot read the database schema revision: {reason}") from None
    if not current:
        raise SystemExit("the database schema is not current: run `kilocloud db upgrade` first")


async def _schema_is_current(url: str) -> bool:
    db = Database(url, pool_size=1)
    try:
        return await migrations.is_current(db)
    finally:
        await db.dispose()
