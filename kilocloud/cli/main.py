"""The `kilocloud` command: one subcommand per module of this package."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import TYPE_CHECKING

import kilocloud
from kilocloud.core import redaction

if TYPE_CHECKING:
    from oslo_config import cfg

DESCRIPTION = """\
kilocloud: a cloud that speaks the OpenStack APIs (identity, image, messaging, compute,
network).
`kilocloud up` runs all of it in one process; the `openstack` CLI and openstacksdk work
against it with the openrc or clouds.yaml it writes in its state directory."""
EPILOG = """\
Every command takes --state-dir and --config-file; any option of a config file can also be
set in the environment as OS_<GROUP>__<OPTION> (e.g. OS_DATABASE__CONNECTION).
`kilocloud COMMAND --help` describes one command."""

# name -> (module, one-line help); a command's module is imported only when it runs, so that
# `kilocloud --help` and each command load no more than they need
SUBCOMMANDS = {
    "up": ("kilocloud.cli.up", "run the whole cloud in one process (SQLite, in-process workers)"),
    "serve": ("kilocloud.cli.serve", "serve one service on its OpenStack port, or all of them"),
    "worker": ("kilocloud.cli.worker", "run background work taken from the message broker"),
    "compute": (
        "kilocloud.cli.compute",
        "run the compute agent of one host (drivers, heartbeats, power sync)",
    ),
    "db": ("kilocloud.cli.db", "upgrade the database schema, or show its revisions"),
    "bootstrap": ("kilocloud.cli.bootstrap", "create the admin user, project, roles and catalog"),
    "fernet": ("kilocloud.cli.keys", "create or rotate the Fernet token keys"),
    "deps": ("kilocloud.cli.deps", "check the packages and servers each service needs"),
    "network-agent": (
        "kilocloud.cli.network_agent",
        "run the network agent of one host (namespaces, bridges, dnsmasq, nftables)",
    ),
}


def common_args(parser: argparse.ArgumentParser) -> None:
    """--state-dir and --config-file, which every subcommand takes."""
    parser.add_argument(
        "--state-dir",
        metavar="DIR",
        help="where this cloud keeps its database, keys, images, openrc and clouds.yaml "
        "(default: ~/.local/share/kilocloud)",
    )
    parser.add_argument(
        "--config-file",
        metavar="FILE",
        action="append",
        default=[],
        help="an oslo.config INI file; repeat to layer several (default: none)",
    )


def conf_from_args(args: argparse.Namespace, **overrides: object) -> cfg.ConfigOpts:
    """The configuration the common arguments and `overrides` describe, every value checked."""
    from oslo_config import cfg

    from kilocloud.opts import load_conf

    try:
        return load_conf(args.config_file, {"state_dir": args.state_dir, **overrides})
    except cfg.Error as exc:  # a missing or malformed file, or a bad value
        raise SystemExit(f"kilocloud: {exc}") from None


def parser_for(command: str | None) -> argparse.ArgumentParser:
    """The parser of `kilocloud`, with the arguments of `command` (only) filled in."""
    parser = argparse.ArgumentParser(
        prog="kilocloud",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kilocloud {kilocloud.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            common_args(sp)
            importlib.import_module(module).add_arguments(sp)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `kilocloud` console script; an operator's mistake is one line, exit 1."""
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = parser_for(command if command in SUBCOMMANDS else None).parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    redaction.install(logging.getLogger())
    module = importlib.import_module(SUBCOMMANDS[args.command][0])
    sys.exit(module.run(args) or 0)
