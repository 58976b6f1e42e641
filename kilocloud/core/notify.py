"""Notifications in the oslo.messaging format: to in-process listeners, and to a broker if set."""

from __future__ import annotations

import asyncio
import datetime
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from oslo_config import cfg

from kilocloud.core.context import RequestContext

LOG = logging.getLogger(__name__)

NOTIFY_OPTS = [
    cfg.ListOpt(
        "disabled_notifications",
        default=[],
        help="Event types not to send to the message broker; a trailing '*' matches a prefix "
        "(e.g. image.*). In-process consumers (the platform events feed) still receive them.",
    ),
    cfg.StrOpt("notification_host", default="localhost", help="Host part of publisher ids."),
]

Listener = Callable[[list[dict[str, Any]]], Awaitable[None]]


class Notifier:
    """Emit `{message_id, publisher_id, event_type, priority, payload, timestamp}` messages."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf
        self._listeners: list[Listener] = []
        # one queue and one consumer task: listeners see notifications in emission order
        self._queue: asyncio.Queue[dict[str, Any]] | None = None
        self._consumer: asyncio.Task | None = None
        self._driver = None
        # load_conf registers oslo.messaging's options only when a broker is configured
        if "transport_url" in conf and conf.oslo_messaging_notifications.driver != ["noop"]:
            import oslo_messaging

            transport = oslo_messaging.get_notification_transport(conf)
            # with no driver configured, oslo.messaging would drop every notification
            chosen = {} if conf.oslo_messaging_notifications.driver else {"driver": "messagingv2"}
            self._driver = oslo_messaging.Notifier(transport, **chosen)

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every notification emitted from now on, in order.

        Each call carries what was emitted while the listeners were busy (at least one), so a
        listener can store a burst of notifications in one go.
        """
        self._listeners.append(listener)

    def _disabled(self, event_type: str) -> bool:
        for pattern in self.conf.disabled_notifications:
            if pattern == event_type or (
                pattern.endswith("*") and event_type.startswith(pattern[:-1])
            ):
                return True
        return False

    async def notify(
        self,
        ctx: RequestContext | None,
        service: str,
        event_type: str,
        payload: Any,
        priority: str = "INFO",
    ) -> None:
        """Emit one notification from `service` (identity, image, messaging)."""
        publisher_id = f"{service}.{self.conf.notification_host}"
        message = {
            "message_id": str(uuid.uuid4()),
            "publisher_id": publisher_id,
            "event_type": event_type,
            "priority": priority,
            "payload": payload,
            "timestamp": str(datetime.datetime.now(datetime.UTC).replace(tzinfo=None)),
        }
        if self._driver is not None and not self._disabled(event_type):
            await asyncio.to_thread(self._send, ctx, publisher_id, priority, event_type, payload)
        if self._listeners:
            if self._queue is None:
                self._queue = asyncio.Queue()
                self._consumer = asyncio.create_task(self._deliver(self._queue))
            self._queue.put_nowait(message)

    async def _deliver(self, queue: asyncio.Queue) -> None:
        while True:
            batch = [await queue.get()]
            while not queue.empty():
                batch.append(queue.get_nowait())
            for listener in self._listeners:
                try:
                    await listener(batch)
                except Exception:  # one failing listener must not stop the others
                    LOG.exception("notification listener failed on %d notifications", len(batch))
            for _ in batch:
                queue.task_done()

    def _send(self, ctx, publisher_id, priority, event_type, payload) -> None:  # noqa: ANN001
        ctxt = {"request_id": ctx.request_id, "user_id": ctx.user_id} if ctx else {}
        notifier = self._driver.prepare(publisher_id=publisher_id)
        try:
            getattr(notifier, priority.lower())(ctxt, event_type, payload)
        except Exception:  # a broker outage must not fail the API call that changed state
            LOG.exception("could not send notification %s", event_type)

    async def drain(self) -> None:
        """Deliver what is queued to the in-process listeners, then stop delivering."""
        if self._queue is not None and self._consumer is not None:
            await self._queue.join()
            self._consumer.cancel()
            self._queue = self._consumer = None
