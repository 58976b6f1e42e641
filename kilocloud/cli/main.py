"""The `kilocloud` command: one subcommand per module of this package."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from oslo_config import cfg

from kilocloud.core import redaction
from kilocloud.opts import load_conf

SUBCOMMANDS = {
    "up": "kilocloud.cli.up",
    "serve": "kilocloud.cli.serve",
    "worker": "kilocloud.cli.worker",
    "db": "kilocloud.cli.db",
    "bootstrap": "kilocloud.cli.bootstrap",
    "fernet": "kilocloud.cli.keys",
    "deps": "kilocloud.cli.deps",
    "network-agent": "kilocloud.cli.network_agent",
}


def common_args(parser: argparse.ArgumentParser) -> None:
    """--state-dir and --config-file, which every subcommand takes."""
    parser.add_argument("--state-dir", help="directory of this cloud's state")
    parser.add_argument(
        "--config-file", action="append", default=[], help="oslo.config file (repeatable)"
    )


def conf_from_args(args: argparse.Namespace, **overrides: object) -> cfg.ConfigOpts:
    """The configuration the common arguments and `overrides` describe."""
    return load_conf(args.config_file, {"state_dir": args.state_dir, **overrides})


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `kilocloud` console script."""
    parser = argparse.ArgumentParser(prog="kilocloud", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name, module in SUBCOMMANDS.items():
        try:
            modules[name] = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        sp = sub.add_parser(name, help=modules[name].HELP)
        common_args(sp)
        modules[name].add_arguments(sp)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    redaction.install(logging.getLogger())
    sys.exit(modules[args.command].run(args) or 0)
