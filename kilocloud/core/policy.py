"""oslo.policy enforcement: policy-in-code defaults, policy.yaml overrides, 403 on denial."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from oslo_config import cfg
from oslo_policy import policy

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden


class Policy:
    """One enforcer for the process, holding every service's rule defaults."""

    def __init__(self, conf: cfg.ConfigOpts, defaults: Iterable[policy.RuleDefault]) -> None:
        self.enforcer = policy.Enforcer(conf)
        self.enforcer.register_defaults(list(_unique(defaults)))

    def check(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> bool:
        """Whether `ctx` passes `rule` against `target`."""
        return self.enforcer.enforce(rule, target or {}, ctx.policy_credentials())

    def enforce(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> None:
        """Raise Forbidden unless `ctx` passes `rule` against `target`."""
        if not self.check(ctx, rule, target):
            raise Forbidden(f"You are not authorized to perform the requested action: {rule}.")


def _unique(defaults: Iterable[policy.RuleDefault]) -> Iterable[policy.RuleDefault]:
    """Rules by name; services may share a base rule (context_is_admin) if they agree on it."""
    seen: dict[str, policy.RuleDefault] = {}
    for rule in defaults:
        prior = seen.setdefault(rule.name, rule)
        if prior.check_str != rule.check_str:
            raise ValueError(f"policy rule {rule.name} has two different defaults")
    return seen.values()
