"""Delivery jobs: documents for one subscriber, sent through its sink under the retry policy.

A job carries all it needs (subscriber, options, documents, policy), so that whoever runs it, this
process or a `kilocloud worker`, needs no storage, only the sinks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

from kilocloud.core.tasks import Handler
from kilocloud.messaging.delivery import retry
from kilocloud.messaging.storage.base import Subscription

LOG = logging.getLogger(__name__)
KIND = "messaging.deliver"


class Sink(Protocol):
    async def send(self, uri: str, message: dict[str, Any], options: dict[str, Any]) -> bool:
        """Deliver one document; whether the subscriber took it."""
        ...


def scheme(subscriber: str) -> str:
    """The URI scheme that picks a subscriber's sink."""
    return subscriber.split(":", 1)[0]


def job(
    sub: Subscription, docs: list[dict[str, Any]], rules: dict[str, Any], not_before: float
) -> dict[str, Any]:
    """The payload of a job delivering `docs` to `sub`, not before the time `not_before`."""
    return {
        "subscriber": sub.subscriber,
        "options": sub.options,
        "docs": docs,
        "rules": rules,
        "not_before": not_before,
    }


class Deliverer:
    """Runs delivery jobs, with at most `concurrency` sends in flight."""

    def __init__(self, sinks: dict[str, Sink], concurrency: int) -> None:
        self.sinks = sinks
        self._limit = asyncio.Semaphore(concurrency)

    def handlers(self) -> dict[str, Handler]:
        """Job kind -> handler, for a tasks.Runner."""
        return {KIND: self.deliver}

    async def deliver(self, payload: dict[str, Any]) -> None:
        """Send each document of the job in order, each retried until taken or given up."""
        wait = float(payload.get("not_before") or 0) - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        sink = self.sinks.get(scheme(payload["subscriber"]))
        if sink is None:
            LOG.warning("no sink for subscriber %s", payload["subscriber"])
            return
        for doc in payload["docs"]:
            await self._send(sink, payload, doc)

    async def _send(self, sink: Sink, payload: dict[str, Any], doc: dict[str, Any]) -> None:
        for wait in [0.0, *retry.delays(payload["rules"])]:
            await asyncio.sleep(wait)
            async with self._limit:
                if await sink.send(payload["subscriber"], doc, payload["options"]):
                    return
        LOG.warning("gave up delivering %s to %s", doc.get("id"), payload["subscriber"])
