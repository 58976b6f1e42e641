"""The identity service layer: rules, policy checks and notifications; it knows no HTTP."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from cachetools import TTLCache

from kilocloud.core import config
from kilocloud.core.context import RequestContext
from kilocloud.identity.fernet import KeyRepository
from kilocloud.identity.service.revocations import RevocationList

if TYPE_CHECKING:
    from kilocloud.deps import Services


class Identity:
    """What every identity operation needs beyond the shared services: keys and revocations."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.conf = services.conf
        self.db = services.db
        self.policy = services.policy
        path = self.conf.fernet_tokens.key_repository or os.path.join(
            config.state_dir(self.conf), "fernet-keys"
        )
        self.keys = KeyRepository(path, self.conf.fernet_tokens.max_active_keys)
        self.revocations = RevocationList(self.db, self.conf.token.revocation_cache_time)
        self.catalog_cache: tuple[float, list[dict[str, Any]]] | None = None
        # validated tokens: revocation is still checked on every use, so only staleness of
        # names is bounded by the ttl
        self.token_cache: TTLCache = TTLCache(maxsize=20000, ttl=300)

    def enforce(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> None:
        """Check the `identity:<rule>` policy rule; nested targets are flattened to dotted keys."""
        self.policy.enforce(ctx, f"identity:{rule}", _flatten(target or {}))

    async def notify(self, ctx: RequestContext | None, event: str, resource_id: str) -> None:
        """Emit `identity.<event>` with Keystone's basic payload."""
        await self.services.notifier.notify(
            ctx, "identity", f"identity.{event}", {"resource_info": resource_id}
        )


def _flatten(target: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"target": {"user": {"id": x}}} -> {"target.user.id": x}, as oslo.policy rules name keys."""
    flat: dict[str, Any] = {}
    for key, value in target.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif value is not None:  # "None" would match a credential that is None too
            flat[f"{prefix}{key}"] = value
    return flat
