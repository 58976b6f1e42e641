"""ComputeDeps: the infrastructure every compute service module works with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oslo_config import cfg

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Database
from kilocloud.core.errors import Forbidden
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy

PREFIX = "os_compute_api:"


@dataclass
class ComputeDeps:
    """What every compute service module works with."""

    conf: cfg.ConfigOpts
    db: Database
    policy: Policy
    notifier: Notifier
    # the RPC to compute agents (kilocloud.compute.rpc), set once the service is wired
    rpc: Any = field(default=None)

    def allowed(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> bool:
        """Whether `ctx` passes the os_compute_api rule `rule`."""
        return self.policy.check(ctx, PREFIX + rule, _target(ctx, target))

    def enforce(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> None:
        """403 in Nova's words unless `ctx` passes the os_compute_api rule `rule`."""
        if not self.allowed(ctx, rule, target):
            raise Forbidden(f"Policy doesn't allow {PREFIX}{rule} to be performed.")

    async def notify(
        self, ctx: RequestContext | None, event_type: str, payload: object, priority: str = "INFO"
    ) -> None:
        """Emit a compute notification."""
        await self.notifier.notify(ctx, "compute", event_type, payload, priority)


def _target(ctx: RequestContext, target: dict[str, Any] | None) -> dict[str, Any]:
    """Nova's default target: the caller's own project and user."""
    return {"project_id": ctx.project_id, "user_id": ctx.user_id, **(target or {})}
