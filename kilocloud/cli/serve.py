"""`kilocloud serve identity|image|messaging|network|all`: one service (or all) in this process."""

from __future__ import annotations

import argparse
import asyncio
import logging
from typing import TYPE_CHECKING

from kilocloud.cli import main, serving
from kilocloud.services import SERVICES, available_services

if TYPE_CHECKING:
    from oslo_config import cfg

ALL_PORT = 8770


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `serve`."""
    ports = ", ".join(f"{name} {port}" for name, port in SERVICES.items())
    parser.description = (
        "Serve one service at / on its OpenStack port, or all of them by path as `up` does. "
        "The database schema must be current (`kilocloud db upgrade`); a service alone "
        "validates tokens with the cloud's Fernet keys, or with the Keystone that "
        "[keystone_authtoken] names."
    )
    parser.add_argument("service", choices=[*available_services(), "all"])
    serving.listen_args(parser, f"default: {ports}, all {ALL_PORT}")


def run(args: argparse.Namespace) -> int:
    """Serve the chosen service until interrupted; the schema must already be current."""
    overrides = serving.listen_overrides(args)
    overrides["bind_port"] = args.port or SERVICES.get(args.service, ALL_PORT)
    conf = main.conf_from_args(args, **overrides)
    _require_current_schema(conf)
    _require_token_keys(conf, args.service)
    sock = serving.bind(conf)
    if args.service == "all":
        serving.serve(conf, names=None, standalone=False, sock=sock)
    else:
        serving.serve(conf, names=[args.service], standalone=True, sock=sock)
    return 0


def _require_token_keys(conf: cfg.ConfigOpts, service: str) -> None:
    """Exit unless tokens can be checked: with this cloud's Fernet keys, or by a Keystone."""
    if conf.keystone_authtoken.auth_url:
        return
    from kilocloud.cli.keys import key_repository

    keys = key_repository(conf)
    if not keys.present():
        raise SystemExit(
            f"kilocloud: serve {service} cannot check tokens: there are no Fernet keys in "
            f"{keys.path} and no [keystone_authtoken] auth_url; copy the identity service's "
            "keys there ([fernet_tokens] key_repository) or set [keystone_authtoken]"
        )


def _require_current_schema(conf: cfg.ConfigOpts) -> None:
    """Exit before listening unless the database has every revision `db upgrade` applies."""
    from sqlalchemy.exc import SQLAlchemyError

    from kilocloud.core import config

    logging.getLogger("alembic").setLevel(logging.WARNING)  # it has nothing to tell on a read
    try:
        current = asyncio.run(_schema_is_current(config.database_url(conf)))
    except (SQLAlchemyError, OSError) as exc:
        reason = str(exc).splitlines()[0]
        raise SystemExit(f"cannot read the database schema revision: {reason}") from None
    if not current:
        raise SystemExit("the database schema is not current: run `kilocloud db upgrade` first")


async def _schema_is_current(url: str) -> bool:
    from kilocloud import migrations
    from kilocloud.core.db import Database

    db = Database(url, pool_size=1)
    try:
        return await migrations.is_current(db)
    finally:
        await db.dispose()
