"""`kilocloud bootstrap`: create what is missing of the admin identity and the catalog."""

from __future__ import annotations

import argparse
import asyncio

from kilocloud.cli import main, serving
from kilocloud.identity import bootstrap

HELP = "create the default domain, roles, admin user/project and catalog (idempotent)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `bootstrap`: where the catalog should point."""
    serving.listen_args(parser, default_port=None)


def run(args: argparse.Namespace) -> int:
    """Bootstrap and print how to reach the cloud."""
    conf = main.conf_from_args(args, **serving.listen_overrides(args))
    print(asyncio.run(bootstrap.prepare(conf)).describe())
    return 0
