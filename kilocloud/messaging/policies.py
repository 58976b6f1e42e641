"""Messaging policy defaults, named as Zaqar names them (queues:*, messages:*, ...)."""

from __future__ import annotations

from oslo_policy import policy

# the secure-RBAC defaults every service here uses: a reader of the project reads, a member
# also writes (Zaqar's legacy admin_or_owner let a reader write too)
ADMIN = "rule:context_is_admin"
READER = f"{ADMIN} or (role:reader and project_id:%(project_id)s)"
MEMBER = f"{ADMIN} or (role:member and project_id:%(project_id)s)"


def _rules(resource: str, actions: list[str], check: str) -> list[policy.RuleDefault]:
    return [policy.RuleDefault(f"{resource}:{a}", check) for a in actions]


CRUD = ["get_all", "create", "get", "delete", "update"]
READS = ["get_all", "get", "stats"]

RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("context_is_admin", "role:admin"),
    policy.RuleDefault("admin_or_owner", "role:admin or project_id:%(project_id)s"),
    policy.RuleDefault("unrestricted", ""),
    *_rules("queues", READS, READER),
    *_rules("queues", ["create", "delete", "update", "share", "purge"], MEMBER),
    *_rules("messages", ["get_all", "get"], READER),
    *_rules("messages", ["create", "delete", "delete_all"], MEMBER),
    *_rules("claims", ["get"], READER),
    *_rules("claims", ["create", "delete", "update"], MEMBER),
    *_rules("subscription", ["get_all", "get"], READER),
    *_rules("subscription", ["create", "delete", "update", "confirm"], MEMBER),
    *_rules("topics", READS, READER),
    *_rules("topics", ["create", "delete", "update", "purge"], MEMBER),
    *_rules("pools", CRUD, ADMIN),
    *_rules("flavors", CRUD, ADMIN),
    policy.RuleDefault("ping:get", "rule:unrestricted"),
    policy.RuleDefault("health:get", ADMIN),
]
