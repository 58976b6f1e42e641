"""`kilocloud serve identity|image|messaging|all`: one service (or all) in this process."""

from __future__ import annotations

import argparse

from kilocloud.app import available_services
from kilocloud.cli import main, serving

HELP = "serve one service on its OpenStack default port, or all of them"
DEFAULT_PORTS = {"identity": 5000, "image": 9292, "messaging": 8888, "all": 8770}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `serve`."""
    parser.add_argument("service", choices=[*available_services(), "all"])
    serving.listen_args(parser, default_port=None)


def run(args: argparse.Namespace) -> int:
    """Serve the chosen service until interrupted; the schema must already be current."""
    overrides = serving.listen_overrides(args)
    overrides["bind_port"] = args.port or DEFAULT_PORTS[args.service]
    conf = main.conf_from_args(args, **overrides)
    if args.service == "all":
        serving.serve(conf, names=None, standalone=False)
    else:
        serving.serve(conf, names=[args.service], standalone=True)
    return 0
