"""Websocket pushes shared by every API process: each posted batch reaches every process once.

A process pushes its own posts to its sockets at once and sends them over a bus (Redis pub/sub
when messages live in Redis, else a RabbitMQ fanout exchange when a broker is configured);
every other process pushes what it hears from the bus. Under `kilocloud up` there is no bus.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

import orjson
from oslo_config import cfg

from kilocloud.core import tasks
from kilocloud.messaging.storage.base import Message

LOG = logging.getLogger(__name__)
EXCHANGE = "kilocloud-websocket-pushes"
Deliver = Callable[[str, str, list[Message]], None]


class Bus(Protocol):
    """Carries posted batches to the other API processes."""

    async def start(self, deliver: Deliver) -> None:
        """Call `deliver` on this loop with every batch another process sends."""
        ...

    async def send(self, space: str, queue: str, messages: list[Message]) -> None:
        """Send a batch posted here to every other process."""
        ...

    async def close(self) -> None:
        """Stop listening and release connections."""
        ...


def _encode(origin: str, space: str, queue: str, messages: list[Message]) -> bytes:
    docs = [dataclasses.asdict(m) | {"body": m.body.decode()} for m in messages]
    return orjson.dumps({"origin": origin, "space": space, "queue": queue, "messages": docs})


def _decode(data: bytes) -> tuple[str, str, str, list[Message]]:
    doc = orjson.loads(data)
    messages = [Message(**(m | {"body": m["body"].encode()})) for m in doc["messages"]]
    return doc["origin"], doc["space"], doc["queue"], messages


class RedisBus:
    """Batches on a Redis pub/sub channel."""

    def __init__(self, uri: str, prefix: str) -> None:
        import redis.asyncio as aioredis

        self.redis = aioredis.from_url(uri)
        self.channel = f"{prefix}:websocket-pushes"
        self.origin = uuid.uuid4().hex
        self._listener: asyncio.Task | None = None

    async def start(self, deliver: Deliver) -> None:
        self._listener = asyncio.create_task(self._listen(deliver), name="websocket pushes")

    async def _listen(self, deliver: Deliver) -> None:
        while True:
            try:
                async with self.redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for item in pubsub.listen():
                        if item["type"] == "message":
                            origin, *batch = _decode(item["data"])
                            if origin != self.origin:
                                deliver(*batch)
            except Exception as exc:  # Redis went away: listen again once it is back
                LOG.warning("websocket push channel lost (%r); listening again", exc)
                await asyncio.sleep(1)

    async def send(self, space: str, queue: str, messages: list[Message]) -> None:
        await self.redis.publish(self.channel, _encode(self.origin, space, queue, messages))

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.redis.aclose()


class AmqpBus:
    """Batches on a RabbitMQ fanout exchange; each process listens on an exclusive queue."""

    def __init__(self, urls: str) -> None:
        import kombu

        self.kombu = kombu
        self.urls = urls
        self.exchange = kombu.Exchange(EXCHANGE, type="fanout", durable=False)
        self.origin = uuid.uuid4().hex
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._producer_lock = threading.Lock()
        self._producer_conn = kombu.Connection(urls, heartbeat=30)

    async def start(self, deliver: Deliver) -> None:
        loop = asyncio.get_running_loop()

        def on_message(body: Any, message: Any) -> None:
            origin, *batch = _decode(message.body)
            if origin != self.origin:
                loop.call_soon_threadsafe(deliver, *batch)

        self._thread = threading.Thread(
            target=self._consume, args=(on_message,), name="websocket pushes", daemon=True
        )
        self._thread.start()

    def _consume(self, on_message: Callable[[Any, Any], None]) -> None:
        # exclusive and server-named: the broker deletes the queue when this connection ends
        queue = self.kombu.Queue("", self.exchange, exclusive=True, auto_delete=True)
        while not self._stopped.is_set():
            try:
                with (
                    self.kombu.Connection(self.urls, heartbeat=30) as conn,
                    conn.Consumer(queue, callbacks=[on_message], no_ack=True),
                ):
                    self._drain(conn)
            except Exception as exc:  # the broker dropped us: connect and declare again
                LOG.warning("websocket push queue lost (%r); consuming again", exc)
                self._stopped.wait(1)

    def _drain(self, conn: Any) -> None:
        while not self._stopped.is_set():
            try:
                conn.drain_events(timeout=1)
            except TimeoutError:
                conn.heartbeat_check()

    def _publish(self, body: bytes) -> None:
        with self._producer_lock:
            producer = self._producer_conn.Producer()
            producer.publish(
                body,
                exchange=self.exchange,
                routing_key="",
                declare=[self.exchange],
                retry=True,
                # a broker that stays away costs a few seconds of one thread, not the pool
                retry_policy={"max_retries": 2, "interval_start": 0.5, "interval_step": 1},
            )

    async def send(self, space: str, queue: str, messages: list[Message]) -> None:
        await asyncio.to_thread(self._publish, _encode(self.origin, space, queue, messages))

    async def close(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 5)
        self._producer_conn.release()


def amqp_urls(conf: cfg.ConfigOpts) -> str:
    """The broker hosts of [DEFAULT] transport_url as kombu failover URLs."""
    import oslo_messaging

    parsed = oslo_messaging.TransportURL.parse(conf, conf.transport_url)
    vhost = parsed.virtual_host or ""
    hosts = parsed.hosts or [oslo_messaging.TransportHost()]
    return ";".join(
        f"amqp://{quote(h.username or 'guest', safe='')}:{quote(h.password or 'guest', safe='')}"
        f"@{h.hostname or 'localhost'}:{h.port or 5672}/{vhost}"
        for h in hosts
    )


def build(conf: cfg.ConfigOpts) -> Bus | None:
    """The bus of this deployment: Redis if messages live there, else the broker, else none."""
    if conf.drivers.message_store == "redis":
        opts = conf["drivers:message_store:redis"]
        return RedisBus(opts.uri, opts.key_prefix)
    if tasks.broker_configured(conf):
        return AmqpBus(amqp_urls(conf))
    return None
