"""oslo.policy enforcement: policy-in-code defaults, policy.yaml overrides, 403 on denial."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

import orjson
from oslo_config import cfg
from oslo_policy import _checks, policy

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden

# oslo.policy looks for policy.yaml and introspects every check on each call; decisions are
# memoized and the file is looked at again at most this often.
RELOAD_SECONDS = 1.0
_MEMO_LIMIT = 20000
_TARGET_FIELD = re.compile(r"%\((.+?)\)s")


class Policy:
    """One enforcer for the process, holding every service's rule defaults."""

    def __init__(self, conf: cfg.ConfigOpts, defaults: Iterable[policy.RuleDefault]) -> None:
        self.enforcer = policy.Enforcer(conf)
        self.enforcer.register_defaults(list(_unique(defaults)))
        self._memo: dict[tuple[str, bytes, bytes], bool] = {}
        self._fields: dict[str, tuple[str, ...]] = {}
        self._checked_at = 0.0

    def check(self, ctx: RequestContext, rule: str, target: dict[str, Any] | None = None) -> bool:
        """Whether `ctx` passes `rule` against `target`."""
        now = time.monotonic()
        if now - self._checked_at >= RELOAD_SECONDS:
            rules = self.enforcer.rules
            self.enforcer.load_rules()
            self._checked_at = now
            # oslo.policy makes a new rule set only when policy.yaml changed
            if self.enforcer.rules is not rules:
                self._memo.clear()
                self._fields.clear()
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        creds = ctx.policy_credentials()
        key = (rule, self._target_key(rule, target or {}), _key(creds))
        decision = self._memo.get(key)
        if decision is None:
            decision = self._memo[key] = self.enforcer.enforce(rule, target or {}, creds)
        return decision

    def _target_key(self, rule: str, target: dict[str, Any]) -> bytes:
        """What of `target` the rule can see: the values its checks format from the target.

        A decision depends on nothing else of the target, so requests for different resources
        with the same owner share one memoized decision.
        """
        fields = self._fields.get(rule)
        if fields is None:
            fields = self._fields[rule] = tuple(
                sorted(self._referenced(_checks.RuleCheck("rule", rule), set()))
            )
        values = []
        for field in fields:
            try:
                values.append(f"%({field})s" % target)
            except KeyError:
                values.append(None)
        return _key(values)

    def _referenced(self, check: _checks.BaseCheck | None, seen: set[str]) -> set[str]:
        """Target fields named by `check` and by every rule it refers to."""
        if isinstance(check, _checks.RuleCheck):
            if check.match in seen:
                return set()
            seen.add(check.match)
            return self._referenced(self.enforcer.rules.get(check.match), seen)
        fields = set(_TARGET_FIELD.findall(str(getattr(check, "match", ""))))
        for sub in [*getattr(check, "rules", ()), getattr(check, "rule", None)]:
            if sub is not None:
                fields |= self._referenced(sub, seen)
        return fields

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
