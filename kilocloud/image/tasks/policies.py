"""Task policy defaults, named as Glance names them: the tasks API is for admins by default."""

from __future__ import annotations

from oslo_policy import policy

RULES: list[policy.RuleDefault] = [
    policy.RuleDefault("tasks_api_access", "role:admin"),
    policy.RuleDefault("get_task", ""),
    policy.RuleDefault("get_tasks", ""),
    policy.RuleDefault("add_task", ""),
    policy.RuleDefault("modify_task", ""),
]
