"""`kilocloud network-agent`: this host's bridges, VXLAN, DHCP, routers, filters and metadata."""

from __future__ import annotations

import argparse
import asyncio
import signal

from oslo_config import cfg

from kilocloud.cli import main
from kilocloud.core import config, tasks
from kilocloud.core.db import Database
from kilocloud.network.agent import wiring
from kilocloud.network.agent.changes import ChangeListener


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `network-agent`."""
    parser.add_argument("--host", help="name of this host (default: [network_agent] host)")
    parser.add_argument(
        "--teardown",
        action="store_true",
        help="remove every namespace, bridge and dnsmasq this agent made, then exit",
    )


def run(args: argparse.Namespace) -> int:
    """Keep the data plane in step with the database until SIGINT or SIGTERM."""
    conf = main.conf_from_args(args)
    host = args.host or conf.network_agent.host
    if args.teardown:
        asyncio.run(wiring.build_agent(conf, host).teardown())
        return 0
    asyncio.run(serve(conf, host))
    return 0


async def serve(conf: cfg.ConfigOpts, host: str) -> None:
    """Run the agent service until a signal; the data plane stays for the next start."""
    db = Database(config.database_url(conf), pool_size=2)
    service = wiring.build_service(conf, db, host)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    listener = None
    if tasks.broker_configured(conf):
        listener = ChangeListener(conf, host, lambda: loop.call_soon_threadsafe(service.changed))
        listener.start()
    await service.start()
    try:
        await stopped.wait()
    finally:
        if listener is not None:
            await asyncio.to_thread(listener.stop)
        await service.stop()
        await db.dispose()
