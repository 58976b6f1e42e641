"""Services: the one wiring object every service's routes and logic receive."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from oslo_config import cfg
from oslo_policy import policy

from kilocloud.core import config
from kilocloud.core.cache import Cache
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy

Hook = Callable[[], Awaitable[None]]


@dataclass
class Services:
    """Shared infrastructure of one cloud: config, database, policy, notifier, cache."""

    conf: cfg.ConfigOpts
    db: Database
    policy: Policy
    notifier: Notifier
    cache: Cache
    on_startup: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)
    # each mounted service keeps its own service-layer objects here, by service name
    facades: dict[str, object] = field(default_factory=dict)

    @classmethod
    def create(cls, conf: cfg.ConfigOpts, rules: list[policy.RuleDefault]) -> Services:
        """Wire the infrastructure `conf` describes."""
        return cls(
            conf=conf,
            db=Database(config.database_url(conf), pool_size=conf.database.max_pool_size),
            policy=Policy(conf, rules),
            notifier=Notifier(conf),
            cache=Cache(conf),
        )

    async def startup(self) -> None:
        """Run every service's start-up hook, in registration order."""
        for hook in self.on_startup:
            await hook()

    async def shutdown(self) -> None:
        """Run shutdown hooks, then release shared resources."""
        for hook in reversed(self.on_shutdown):
            await hook()
        await self.notifier.drain()
        await self.db.dispose()
