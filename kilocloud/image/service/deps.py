"""ImageDeps: the infrastructure every image service module works with."""

from __future__ import annotations

from dataclasses import dataclass

from oslo_config import cfg

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy
from kilocloud.image.stores import Stores


@dataclass
class ImageDeps:
    """What every image service module works with."""

    conf: cfg.ConfigOpts
    db: Database
    policy: Policy
    notifier: Notifier
    stores: Stores

    async def notify(
        self,
        ctx: RequestContext | None,
        event_type: str,
        payload: object,
        priority: str = "INFO",
    ) -> None:
        """Emit an image.* notification."""
        await self.notifier.notify(ctx, "image", event_type, payload, priority)
