"""Background work: a bounded pool in this process, or oslo.messaging to `kilocloud worker`s.

A job is a kind ("image.import") and a JSON payload. Handlers are coroutines whose blocking steps
(hashing, file copies, qemu-img) run in threads or subprocesses, so the event loop only awaits.
RpcQueue jobs are acknowledged as a worker takes them: their durability belongs to the service's
own rows (a task table with a lease). DurableQueue jobs are acknowledged only once run to their
end, so the broker hands a job whose worker died to another worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
import warnings
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from oslo_config import cfg

LOG = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]


def runner_id() -> str:
    """A name for this process that no other process, here or elsewhere, shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def broker_configured(conf: cfg.ConfigOpts) -> bool:
    """Whether work goes to workers over a message broker."""
    return "transport_url" in conf and bool(conf.transport_url)


def job_label(payload: dict[str, Any]) -> str:
    """What names a job in the logs: its task and image, or how many documents it carries."""
    if "task_id" in payload:
        return f"task {payload['task_id']}, image {payload.get('image_id')}"
    return f"{len(payload.get('docs') or ())} message(s) to deliver"


class Runner:
    """Runs jobs on the current event loop, at most `size` at once; the rest wait their turn."""

    def __init__(self, handlers: Mapping[str, Handler], size: int, log_jobs: bool = False) -> None:
        self.handlers = dict(handlers)
        self.log_jobs = log_jobs
        self._slots = asyncio.Semaphore(size)
        self._jobs: set[asyncio.Task] = set()

    def submit(self, kind: str, payload: dict[str, Any]) -> asyncio.Task:
        """Start `kind` with `payload` in the background (call on the runner's loop)."""
        job = asyncio.create_task(self.run(kind, payload), name=f"job {kind}")
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return job

    async def finish(self, kind: str, payload: dict[str, Any]) -> bool:
        """Run the job as submit() does; whether it ended (False when stop() cancelled it)."""
        job = self.submit(kind, payload)
        await asyncio.wait([job])
        return not job.cancelled()

    async def run(self, kind: str, payload: dict[str, Any]) -> None:
        """Run one job to its end once a slot is free; its failures are logged, not raised."""
        handler = self.handlers.get(kind)
        if handler is None:
            LOG.error("no handler for job kind %s", kind)
            return
        async with self._slots:
            started = time.monotonic()
            if self.log_jobs:
                LOG.info("job %s started (%s)", kind, job_label(payload))
            try:
                await handler(payload)
            except Exception:  # handlers record their own failures; this is the last net
                LOG.exception("job %s failed (%s)", kind, job_label(payload))
                return
            if self.log_jobs:
                took = time.monotonic() - started
                LOG.info("job %s ended in %.1f s (%s)", kind, took, job_label(payload))

    def periodic(self, seconds: float, func: Callable[[], Awaitable[None]]) -> None:
        """Call `func` every `seconds` until stop(); one failing call does not end the loop."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(seconds)
                try:
                    await func()
                except Exception:  # a database hiccup must not end the periodic loop
                    LOG.exception("periodic %s failed", getattr(func, "__name__", func))

        job = asyncio.create_task(loop(), name="periodic")
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    async def stop(self) -> None:
        """Cancel every running job and periodic loop, and wait for them to unwind."""
        jobs = list(self._jobs)
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)


class TaskQueue(Protocol):
    """Where services hand background work."""

    async def enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        """Have `kind` run with `payload`, soon, somewhere."""
        ...


class LocalQueue:
    """Jobs run by this process's Runner."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner

    async def enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        """Start the job in this process's pool."""
        self.runner.submit(kind, payload)


def _messaging(conf: cfg.ConfigOpts | None = None) -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import oslo_messaging
        from oslo_messaging._metrics import client as metrics
        from oslo_messaging._tracing import client as tracing
        from oslo_messaging.rpc import dispatcher

    # RPC clients and servers read these, but oslo.messaging registers them only on cfg.CONF
    if conf is not None and "oslo_messaging_tracing" not in conf:
        conf.register_opts(tracing.oslo_messaging_tracing, group="oslo_messaging_tracing")
        conf.register_opts(metrics.oslo_messaging_metrics, group="oslo_messaging_metrics")
        conf.register_opts(dispatcher._dispatcher_opts)
    return oslo_messaging


class RpcQueue:
    """Jobs cast over oslo.messaging RPC to whichever worker takes them first."""

    def __init__(self, conf: cfg.ConfigOpts, topic: str) -> None:
        messaging = _messaging(conf)
        self.transport = messaging.get_rpc_transport(conf)
        target = messaging.Target(topic=topic, version="1.0")
        self.client = messaging.get_rpc_client(self.transport, target)

    async def enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        """Cast the job to the workers' topic."""
        await asyncio.to_thread(self.client.cast, {}, "run", kind=kind, payload=payload)

    def close(self) -> None:
        """Release the broker connection."""
        self.transport.cleanup()


class _Endpoint:
    """The RPC methods a worker answers; each runs its job on the worker's event loop."""

    target = None

    def __init__(self, runner: Runner, loop: asyncio.AbstractEventLoop) -> None:
        self.runner = runner
        self.loop = loop
        self.target = _messaging().Target(version="1.0")

    def run(self, ctxt: dict, kind: str, payload: dict[str, Any]) -> None:
        """Run the job and return once it has ended, so that a busy worker takes no more."""
        future = asyncio.run_coroutine_threadsafe(self.runner.finish(kind, payload), self.loop)
        with contextlib.suppress(Exception):
            future.result()


class DurableQueue:
    """Jobs published on a topic (as oslo.messaging notifications) that workers acknowledge late.

    RabbitMQ redelivers an unacknowledged message when its consumer's connection drops, which is
    how a job survives a worker killed in the middle of it: the job runs again, at least once.
    """

    def __init__(self, conf: cfg.ConfigOpts, topic: str) -> None:
        messaging = _messaging(conf)
        self.transport = messaging.get_notification_transport(conf)
        self.notifier = messaging.Notifier(
            self.transport, "kilocloud.tasks", driver="messagingv2", topics=[topic]
        )

    async def enqueue(self, kind: str, payload: dict[str, Any]) -> None:
        """Publish the job on the workers' durable topic."""
        await asyncio.to_thread(self.notifier.info, {}, kind, payload)

    def close(self) -> None:
        """Release the broker connection."""
        self.transport.cleanup()


class _DurableEndpoint:
    """The listener side of DurableQueue: acknowledge a job when it ended, requeue it if not."""

    def __init__(self, runner: Runner, loop: asyncio.AbstractEventLoop) -> None:
        self.runner, self.loop = runner, loop
        self.results = _messaging().NotificationResult

    def info(self, ctxt: dict, publisher_id: str, kind: str, payload: Any, metadata: dict) -> str:
        """Run the job to its end; a job cut short by this worker stopping goes back."""
        future = asyncio.run_coroutine_threadsafe(self.runner.finish(kind, payload), self.loop)
        try:
            ended = future.result()
        except Exception:  # the loop went away under the job: another worker takes it
            ended = False
        return self.results.HANDLED if ended else self.results.REQUEUE


class WorkerServer:
    """`kilocloud worker`'s servers: RPC jobs from `topic`, durable jobs from `durable_topic`."""

    def __init__(
        self, conf: cfg.ConfigOpts, runner: Runner, topic: str, durable_topic: str
    ) -> None:
        messaging = _messaging(conf)
        loop = asyncio.get_running_loop()
        self.runner = runner
        self.transports = [
            messaging.get_rpc_transport(conf),
            messaging.get_notification_transport(conf),
        ]
        # the server queue ("topic.server") is neither auto-deleted nor expired by oslo.messaging:
        # named per host, every worker there shares one, reused by every restart
        target = messaging.Target(topic=topic, server=socket.gethostname(), version="1.0")
        rpc = messaging.get_rpc_server(
            self.transports[0], target, [_Endpoint(runner, loop)], executor="threading"
        )
        listener = messaging.get_notification_listener(
            self.transports[1],
            [messaging.Target(topic=durable_topic)],
            [_DurableEndpoint(runner, loop)],
            executor="threading",
            allow_requeue=True,
        )
        self.servers = [rpc, listener]

    async def serve(self, stopped: asyncio.Event, sizes: tuple[int, int]) -> None:
        """Take at most `sizes` (RPC, durable) jobs at once until `stopped` is set."""
        for server, size in zip(self.servers, sizes, strict=True):
            await asyncio.to_thread(server.start, override_pool_size=size)
        try:
            await stopped.wait()
        finally:
            for server in self.servers:
                await asyncio.to_thread(server.stop)
            await self.runner.stop()  # running durable jobs go back to the broker
            for server in self.servers:
                await asyncio.to_thread(server.wait)
            for transport in self.transports:
                transport.cleanup()
