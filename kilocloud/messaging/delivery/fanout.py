"""Fan-out of posted messages to subscriptions and open websockets, off the posting path."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import orjson

from kilocloud.messaging.delivery import retry
from kilocloud.messaging.storage.base import Message, MessageStore, Subscription

LOG = logging.getLogger(__name__)
SUBSCRIPTION_CACHE_SECONDS = 2.0
Push = Callable[[str, list[Message]], Awaitable[None]]


class Sink(Protocol):
    async def send(self, uri: str, message: dict[str, Any], options: dict[str, Any]) -> bool:
        """Deliver one message; whether the subscriber took it."""
        ...


def notification(queue: str, message: Message) -> dict[str, Any]:
    """A message as subscribers receive it."""
    return {
        "id": message.id,
        "body": orjson.loads(message.body),
        "ttl": message.ttl,
        "queue_name": queue.partition("#")[0],
        "Message_Type": "Notification",
    }


class Fanout:
    """A job queue of posted batches and the workers that deliver them."""

    def __init__(self, store: MessageStore, sinks: dict[str, Sink], workers: int) -> None:
        self.store, self.sinks, self.size = store, sinks, workers
        self.jobs: asyncio.Queue[tuple[str, str, list[Message]]] = asyncio.Queue()
        self.sockets: dict[tuple[str, str], dict[str, Push]] = defaultdict(dict)
        self.require_confirmation = False
        self._subs: dict[tuple[str, str], tuple[float, list[Subscription]]] = {}
        self._tasks: set[asyncio.Task] = set()
        self._limit = asyncio.Semaphore(workers)

    def publish(self, space: str, queue: str, messages: list[Message]) -> None:
        """Schedule delivery of freshly posted messages; never waits."""
        for push in list(self.sockets.get((space, queue), {}).values()):
            self._spawn(push(queue, messages))
        self.jobs.put_nowait((space, queue, messages))

    def watch(self, space: str, queue: str, key: str, push: Push) -> None:
        """Push new messages of the queue to a websocket until `unwatch`."""
        self.sockets[(space, queue)][key] = push

    def unwatch(self, key: str) -> None:
        """Stop pushing to the websocket known as `key`."""
        for pushes in self.sockets.values():
            pushes.pop(key, None)

    def forget(self, space: str, queue: str) -> None:
        """Drop the cached subscription list of a queue that changed."""
        self._subs.pop((space, queue), None)

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        """Start the dispatcher."""
        self._spawn(self._run())

    async def stop(self) -> None:
        """Stop delivering (pending retries are abandoned)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            space, queue, messages = await self.jobs.get()
            try:
                await self._dispatch(space, queue, messages)
            except Exception:  # one queue's storage failure must not stop every delivery
                LOG.exception("fan-out of %s/%s failed", space, queue)

    async def _subscriptions(self, space: str, queue: str) -> list[Subscription]:
        hit = self._subs.get((space, queue))
        if hit and hit[0] > time.monotonic():
            return hit[1]
        subs = await self.store.list_subscriptions(space, queue, None, 1000, time.time())
        self._subs[(space, queue)] = (time.monotonic() + SUBSCRIPTION_CACHE_SECONDS, subs)
        return subs

    async def _dispatch(self, space: str, queue: str, messages: list[Message]) -> None:
        subs = await self._subscriptions(space, queue)
        if not subs:
            return
        meta = await self.store.queue_metadata(space, queue) or {}
        for sub in subs:
            scheme = sub.subscriber.split(":", 1)[0]
            if self.require_confirmation and scheme != "mailto" and not sub.confirmed:
                continue
            rules = retry.policy(meta, sub.options)
            for m in messages:
                self._spawn(self._deliver(sub, notification(queue, m), rules, m.delay_until))

    async def deliver_now(self, sub: Subscription, doc: dict[str, Any]) -> None:
        """Deliver `doc` to one subscription in the background, with the default retries."""
        self._spawn(self._deliver(sub, doc, retry.policy({}, sub.options), 0.0))

    async def _deliver(
        self, sub: Subscription, doc: dict[str, Any], rules: dict[str, Any], not_before: float
    ) -> None:
        if not_before > time.time():
            await asyncio.sleep(not_before - time.time())
        sink = self.sinks.get(sub.subscriber.split(":", 1)[0])
        if sink is None:
            return
        for wait in [0.0, *retry.delays(rules)]:
            await asyncio.sleep(wait)
            async with self._limit:
                if await sink.send(sub.subscriber, doc, sub.options):
                    return
        LOG.warning("gave up delivering message %s to %s", doc.get("id"), sub.subscriber)
