"""`kilocloud up`: the embedded all-in-one cloud on one port."""

from __future__ import annotations

import argparse
import asyncio

from kilocloud.cli import main, serving, statedir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `up`."""
    serving.listen_args(parser, "default: [DEFAULT] bind_port, 8770")


def run(args: argparse.Namespace) -> int:
    """Claim the state dir and the port, prepare the state on first start, print how to reach
    the cloud, and serve; a start that fails writes nothing."""
    from kilocloud.core import config
    from kilocloud.identity import bootstrap

    conf = main.conf_from_args(args, **serving.listen_overrides(args))
    statedir.claim(config.state_path(conf))  # held as long as this process lives
    sock = serving.bind(conf)
    summary = asyncio.run(bootstrap.prepare(conf, move_endpoints=True))
    print(summary.describe(), flush=True)
    serving.serve(conf, names=None, standalone=False, sock=sock)
    return 0
