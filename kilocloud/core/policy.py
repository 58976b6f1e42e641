"""oslo.policy enforcement: policy-in-code defaults, policy.yaml overrides, 403 on denial."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import orjson
from oslo_config import cfg
from oslo_policy import policy

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden

# oslo.policy looks for policy.yaml and introspects every check on each call; decisions are
# memoized and the file is looked at again at most this often.
RELOAD_SECONDS = 1.0
_MEMO_LIMIT = 20000


class Policy:
    """One enforcer for the process, holding every service's rule defaults."""

    def __init__(self, conf: cfg.ConfigOpts, defaults: Iterable[policy.RuleDefault]) -> None:
        self.enforcer = policy.Enforcer(conf)
        self.enforcer.register_defaults(list(_unique(defaults)))
        self._memo: dict[tuple[str, bytes, bytes], bool] = {}
        self._checked_at = 0.0

    def check(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> bool:
        """Whether `ctx` passes `rule` against `target`."""
        now = time.monotonic()
        if now - self._checked_at >= RELOAD_SECONDS or len(self._memo) > _MEMO_LIMIT:
            self.enforcer.load_rules()
            self._memo.clear()
            self._checked_at = now
        creds = ctx.policy_credentials()
        key = (rule, _key(target), _key(creds))
        decision = self._memo.get(key)
        if decision is None:
            decision = self._memo[key] = self.enforcer.enforce(rule, target or {}, creds)
        return decision

    def enforce(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> None:
        """Raise Forbidden unless `ctx` passes `rule` against `target`."""
        if not self.check(ctx, rule, target):
            raise Forbidden(f"You are not authorized to perform the requested action: {rule}.")


def _key(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)


def _unique(defaults: Iterable[policy.RuleDefault]) -> Iterable[policy.RuleDefault]:
    """Rules by name; services may share a base rule (context_is_admin) if they agree on it."""
    seen: dict[str, policy.RuleDefault] = {}
    for rule in defaults:
        prior = seen.setdefault(rule.name, rule)
        if prior.check_str != rule.check_str:
            raise ValueError(f"policy rule {rule.name} has two different defaults")
    return seen.values()
