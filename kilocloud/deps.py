"""Services: the one wiring object of a cloud, built once and given to every service."""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from oslo_config import cfg

from kilocloud.core import config
from kilocloud.core.auth import KeystoneValidator, TokenValidator
from kilocloud.core.cache import Cache
from kilocloud.core.db import Database
from kilocloud.core.notify import Notifier
from kilocloud.core.policy import Policy

if TYPE_CHECKING:
    from kilocloud.identity.service import Identity
    from kilocloud.image.stores import Stores

Hook = Callable[[], Awaitable[None]]


@dataclass
class Services:
    """Shared infrastructure of one cloud: config, database, policy, notifier, cache, tokens."""

    conf: cfg.ConfigOpts
    db: Database
    policy: Policy
    notifier: Notifier
    cache: Cache
    on_startup: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)

    @classmethod
    def create(cls, conf: cfg.ConfigOpts, names: Sequence[str]) -> Services:
        """Wire the infrastructure `conf` describes, with the policy rules of services `names`."""
        rules = [r for n in names for r in importlib.import_module(f"kilocloud.{n}.policies").RULES]
        return cls(
            conf=conf,
            db=Database(config.database_url(conf), pool_size=conf.database.max_pool_size),
            policy=Policy(conf, rules),
            notifier=Notifier(conf),
            cache=Cache(conf),
        )

    @cached_property
    def validator(self) -> TokenValidator:
        """What checks X-Auth-Token, for HTTP and websocket alike: Keystone, or this process."""
        if self.conf.keystone_authtoken.auth_url:
            validator = KeystoneValidator(self.conf)
            self.on_shutdown.append(validator.close)
            return validator
        from kilocloud.identity.service.validation import LocalValidator

        return LocalValidator(self.identity)

    @cached_property
    def identity(self) -> Identity:
        """This cloud's identity service layer: its token keys, revocations and caches."""
        from kilocloud.identity.service import Identity

        return Identity(self)

    @cached_property
    def stores(self) -> Stores:
        """The image stores [glance_store] configures."""
        from kilocloud.image.stores import build_stores

        stores = build_stores(self.conf)
        self.on_shutdown.append(stores.close)
        return stores

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
