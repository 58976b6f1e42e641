"""NetworkDeps: the infrastructure every network service module works with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from oslo_config import cfg

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy

ChangeListener = Callable[[], Awaitable[None]]


@dataclass
class NetworkDeps:
    """What every network service module works with."""

    conf: cfg.ConfigOpts
    db: Database
    policy: Policy
    notifier: Notifier
    # told after every change the data plane must follow (agents re-read desired state)
    change_listeners: list[ChangeListener] = field(default_factory=list)

    async def notify(self, ctx: RequestContext | None, event_type: str, payload: object) -> None:
        """Emit a network.*/subnet.*/port.* ... notification, Neutron's event types."""
        await self.notifier.notify(ctx, "network", event_type, payload)

    async def changed(self, ctx: RequestContext | None) -> None:
        """Signal `network.changed` to the agents: in-process listeners, and the notifier."""
        for listener in self.change_listeners:
            await listener()
        await self.notifier.notify(ctx, "network", "network.changed", {})
