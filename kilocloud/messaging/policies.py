"""Messaging policy defaults, named as Zaqar names them (queues:*, messages:*, ...)."""

from __future__ import annotations

from oslo_policy import policy

OWNER = "rule:admin_or_owner"
ADMIN = "rule:context_is_admin"


def _rules(resource: str, actions: list[str], check: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"{resource}:{a}", check) for a in actions]


CRUD = ["get_all", "create", "get", "delete", "update"]

RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("context_is_admin", "role:admin"),
    policy.RuleDefault("admin_or_owner", "role:admin or project_id:%(project_id)s"),
    policy.RuleDefault("unrestricted", ""),
    *_rules("queues", [*CRUD, "stats", "share", "purge"], OWNER),
    *_rules("messages", ["get_all", "create", "get", "delete", "delete_all"], OWNER),
    *_rules("claims", ["create", "get", "delete", "update"], OWNER),
    *_rules("subscription", [*CRUD, "confirm"], OWNER),
    *_rules("topics", [*CRUD, "stats", "purge"], OWNER),
    *_rules("pools", CRUD, ADMIN),
    *_rules("flavors", CRUD, ADMIN),
    policy.RuleDefault("ping:get", "rule:unrestricted"),
    policy.RuleDefault("health:get", ADMIN),
]
