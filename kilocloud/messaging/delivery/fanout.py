"""Fan-out of posted messages to subscriptions and open websockets, off the posting path.

Subscribers get their deliveries as jobs on a task queue: run by this process by default, by
`kilocloud worker`s when a broker is configured. Websockets open on this process are pushed here,
with the batches posted on the other API processes (through the push bus).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from itertools import groupby
from typing import Any

import orjson

from kilocloud.core.tasks import TaskQueue
from kilocloud.messaging.delivery import jobs, retry
from kilocloud.messaging.delivery.pushes import Bus
from kilocloud.messaging.storage.base import Message, MessageStore, Subscription

LOG = logging.getLogger(__name__)
SUBSCRIPTION_CACHE_SECONDS = 2.0
Push = Callable[[str, list[Message]], Awaitable[None]]


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
    """Posted batches waiting to be fanned out, and the loop that turns them into jobs."""

    def __init__(
        self,
        store: MessageStore,
        queue: TaskQueue,
        require_confirmation: bool,
        bus: Bus | None = None,
    ) -> None:
        self.store, self.queue, self.bus = store, queue, bus
        self.require_confirmation = require_confirmation
        self.batches: asyncio.Queue[tuple[str, str, list[Message]]] = asyncio.Queue()
        self.sockets: dict[tuple[str, str], dict[str, Push]] = defaultdict(dict)
        self._subs: dict[tuple[str, str], tuple[float, list[Subscription]]] = {}
        self._tasks: set[asyncio.Task] = set()

    def publish(self, space: str, queue: str, messages: list[Message]) -> None:
        """Schedule delivery of freshly posted messages; never waits."""
        self.push(space, queue, messages)
        if self.bus is not None:
            self._spawn(self._send(space, queue, messages))
        self.batches.put_nowait((space, queue, messages))

    def push(self, space: str, queue: str, messages: list[Message]) -> None:
        """Push messages to the websockets watching the queue on this process."""
        for push in list(self.sockets.get((space, queue), {}).values()):
            self._spawn(push(queue, messages))

    async def _send(self, space: str, queue: str, messages: list[Message]) -> None:
        try:
            await self.bus.send(space, queue, messages)
        except Exception:  # sockets on other processes miss this batch; posting goes on
            LOG.exception("websocket pushes of %s/%s not sent to the other processes", space, queue)

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
        """Start the dispatcher, and take the batches other processes post."""
        self._spawn(self._run())
        if self.bus is not None:
            await self.bus.start(self.push)

    async def stop(self) -> None:
        """Stop fanning out (batches not yet turned into jobs are dropped)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self.bus is not None:
            await self.bus.close()

    async def deliver_now(self, sub: Subscription, doc: dict[str, Any]) -> None:
        """Have `doc` delivered to one subscription, with its retry policy."""
        await self.queue.enqueue(jobs.KIND, jobs.job(sub, [doc], retry.policy({}, sub.options), 0))

    async def _run(self) -> None:
        while True:
            space, queue, messages = await self.batches.get()
            try:
                await self._dispatch(space, queue, messages)
            except Exception:  # one queue's storage or broker failure must not stop the rest
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
        if self.require_confirmation:
            subs = [s for s in subs if s.confirmed]
        if not subs:
            return
        meta = await self.store.queue_metadata(space, queue) or {}
        for not_before, same in groupby(messages, key=lambda m: m.delay_until):
            docs = [notification(queue, m) for m in same]
            for sub in subs:
                payload = jobs.job(sub, docs, retry.policy(meta, sub.options), not_before)
                await self.queue.enqueue(jobs.KIND, payload)
