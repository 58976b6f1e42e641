"""`kilocloud up`: the embedded all-in-one cloud on one port."""

from __future__ import annotations

import argparse
import asyncio

from kilocloud.cli import main, serving
from kilocloud.identity import bootstrap

HELP = "run the whole cloud in one process (SQLite, in-process workers)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `up`."""
    serving.listen_args(parser, default_port=8770)


def run(args: argparse.Namespace) -> int:
    """Prepare the state dir on first start, print how to reach the cloud, and serve."""
    conf = main.conf_from_args(args, **serving.listen_overrides(args))
    summary = asyncio.run(bootstrap.prepare(conf))
    print(summary.describe(), flush=True)
    serving.serve(conf, names=None, standalone=False)
    return 0
