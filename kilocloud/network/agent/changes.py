"""network.changed from the message broker, for an agent in a process of its own."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from oslo_config import cfg

CHANGED = "network.changed"


class ChangeListener:
    """Calls on_change (from a listener thread) for every network.changed notification; each
    agent listens in a pool of its own, so every agent hears every change."""

    def __init__(self, conf: cfg.ConfigOpts, host: str, on_change: Callable[[], None]) -> None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
            import oslo_messaging

        transport = oslo_messaging.get_notification_transport(conf)
        topics = conf.oslo_messaging_notifications.topics
        targets = [oslo_messaging.Target(topic=topic) for topic in topics]
        endpoint = _Endpoint(on_change, oslo_messaging.NotificationFilter(event_type=CHANGED))
        self._listener = oslo_messaging.get_notification_listener(
            transport, targets, [endpoint], executor="threading",
            pool=f"kilocloud-network-agent-{host}",
        )  # fmt: skip

    def start(self) -> None:
        """Start listening."""
        self._listener.start()

    def stop(self) -> None:
        """Stop listening and wait for the listener thread."""
        self._listener.stop()
        self._listener.wait()


class _Endpoint:
    def __init__(self, on_change: Callable[[], None], filter_rule: Any) -> None:
        self.on_change = on_change
        self.filter_rule = filter_rule

    def info(self, ctxt: dict, publisher: str, event: str, payload: Any, meta: dict) -> None:
        """A network.changed notification (filtered by filter_rule)."""
        self.on_change()
