"""`kilocloud worker`: run background work (image imports, subscription deliveries) taken from
the message broker."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from oslo_config import cfg

from kilocloud.cli import main
from kilocloud.core import tasks
from kilocloud.deps import Services
from kilocloud.image.tasks.runtime import TaskRuntime
from kilocloud.messaging.delivery.wiring import WorkerDelivery

LOG = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `worker`."""
    parser.add_argument(
        "--workers", type=int, help="jobs run at once (default: [taskflow_executor] max_workers)"
    )


def run(args: argparse.Namespace) -> int:
    """Take jobs from the broker until SIGINT or SIGTERM."""
    conf = main.conf_from_args(args)
    if not tasks.broker_configured(conf):
        print("kilocloud worker needs a message broker: set [DEFAULT] transport_url")
        return 2
    asyncio.run(serve(conf, args.workers or conf.taskflow_executor.max_workers))
    return 0


async def serve(conf: cfg.ConfigOpts, size: int) -> None:
    """Run `size` image jobs and [notification] delivery_jobs deliveries at once; on a signal,
    stop taking jobs, hand unfinished deliveries back to the broker, and end."""
    services = Services.create(conf, ("image",))
    runtime = TaskRuntime(services)
    delivery = WorkerDelivery(conf)
    deliveries = conf.notification.delivery_jobs
    handlers = {**runtime.handlers(), **delivery.handlers()}
    runner = tasks.Runner(handlers, size + deliveries, log_jobs=True)
    runtime.start(runner)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopped.set)
    topics = (conf.task.topic, conf.notification.delivery_topic)
    server = tasks.WorkerServer(conf, runner, *topics)
    LOG.info("worker %s taking jobs from topics %s and %s", runtime.runner, *topics)
    try:
        await server.serve(stopped, (size, deliveries))
    finally:
        await runner.stop()
        await delivery.close()
        await services.shutdown()
