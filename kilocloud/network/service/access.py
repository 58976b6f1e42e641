"""Policy as Neutron applies it: 403 for what the caller may see, 404 for what it may not,
attributes checked by their own rules, invisible attributes stripped from answers."""

from __future__ import annotations

from typing import Any

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import APIError
from kilocloud.core.policy import Policy
from kilocloud.network.errors import PolicyNotAuthorized

TARGET_KEYS = (
    "project_id",
    "shared",
    "router:external",
    "network:project_id",
    "network:shared",
    "network:router:external",
    "device_owner_prefix",
)


def target(item: dict[str, Any], network: dict[str, Any] | None = None) -> dict[str, Any]:
    """The few attributes the rules look at, from a resource and the network it is on."""
    out = {k: item[k] for k in TARGET_KEYS if k in item}
    out["tenant_id"] = out.get("project_id")
    if network is not None:
        out["network:project_id"] = network["project_id"]
        out["network:shared"] = network.get("shared", False)
        out["network:router:external"] = network.get("router:external", False)
    if "device_owner" in item:
        out["device_owner_prefix"] = item["device_owner"][:8]
    return out


class Access:
    """Policy checks for one resource kind (`network`, `port`, ...)."""

    def __init__(self, policy: Policy, kind: str) -> None:
        self.policy, self.kind = policy, kind

    def can(self, ctx: RequestContext, rule: str, tgt: dict[str, Any]) -> bool:
        return self.policy.check(ctx, rule, tgt)

    def _has(self, rule: str) -> bool:
        return rule in self.policy.enforcer.registered_rules

    def enforce(self, ctx: RequestContext, rule: str, tgt: dict[str, Any]) -> None:
        """403 PolicyNotAuthorized unless `rule` passes."""
        if not self.can(ctx, rule, tgt):
            raise PolicyNotAuthorized(action=rule)

    def enforce_attrs(
        self, ctx: RequestContext, action: str, body: dict[str, Any], tgt: dict[str, Any]
    ) -> None:
        """The action's rule, then the rule of each attribute given that has one."""
        self.enforce(ctx, f"{action}_{self.kind}", tgt)
        for name, value in body.items():
            rule = f"{action}_{self.kind}:{name}"
            if self._has(rule):
                self.enforce(ctx, rule, tgt)
            if isinstance(value, dict):
                for sub in value:
                    if self._has(f"{rule}:{sub}"):
                        self.enforce(ctx, f"{rule}:{sub}", tgt)

    def visible(self, ctx: RequestContext, tgt: dict[str, Any]) -> bool:
        return self.can(ctx, f"get_{self.kind}", tgt)

    def enforce_change(
        self, ctx: RequestContext, action: str, tgt: dict[str, Any], missing: APIError
    ) -> None:
        """For PUT/DELETE: 404 when the caller cannot even see it, else 403 on denial.

        `action` is update/delete, or the full name of an action's rule (add_router_interface).
        """
        rule = action if "_" in action else f"{action}_{self.kind}"
        if not self.can(ctx, rule, tgt):
            raise PolicyNotAuthorized(action=rule) if self.visible(ctx, tgt) else missing

    def strip(self, ctx: RequestContext, item: dict[str, Any], tgt: dict[str, Any]) -> dict:
        """`item` without the attributes whose get_<kind>:<attr> rule fails."""
        for name in list(item):
            rule = f"get_{self.kind}:{name}"
            if self._has(rule) and not self.can(ctx, rule, tgt):
                del item[name]
        return item
