"""`kilocloud compute`: a compute agent for one host, taking work over the message broker."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

from oslo_config import cfg

from kilocloud.cli import main
from kilocloud.compute.agent.manager import ComputeAgent
from kilocloud.compute.agent.runtime import AgentRuntime, usable_drivers
from kilocloud.core import config, tasks
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier

LOG = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `compute`."""
    parser.add_argument("--host", help="this host's name (default: [compute] host)")


def run(args: argparse.Namespace) -> int:
    """Serve the agent until SIGINT or SIGTERM."""
    conf = main.conf_from_args(args, **{"compute.host": args.host})
    if not tasks.broker_configured(conf):
        print("kilocloud compute needs a message broker: set [DEFAULT] transport_url")
        return 2
    asyncio.run(serve(conf))
    return 0


async def serve(conf: cfg.ConfigOpts) -> None:
    """Register, reconcile, and take RPC calls until signalled."""
    db = Database(config.database_url(conf), pool_size=conf.database.max_pool_size)
    notifier = Notifier(conf)
    host = conf.compute.host
    drivers = await usable_drivers(
        conf, Path(config.state_dir(conf)) / "compute", conf.compute.compute_drivers
    )
    runtime = AgentRuntime(conf, ComputeAgent(conf, db, notifier, host, drivers), transport=None)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    await runtime.start()
    LOG.info("compute agent for host %s with drivers %s", host, [d.name for d in drivers])
    try:
        await stopped.wait()
    finally:
        await runtime.stop()
        await notifier.drain()
        await db.dispose()
