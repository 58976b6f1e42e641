"""Policy decisions: memoized by what a rule can see of the target, never by more or less."""

from __future__ import annotations

from oslo_config import cfg
from oslo_policy import policy

from kilocloud.core.context import RequestContext
from kilocloud.core.policy import Policy

RULES = [
    policy.RuleDefault("owner", "project_id:%(project_id)s"),
    policy.RuleDefault("admin_or_owner", "role:admin or rule:owner"),
    policy.RuleDefault("get_thing", "rule:admin_or_owner"),
]


def _policy() -> Policy:
    conf = cfg.ConfigOpts()
    conf([], project="kilocloud-test-policy")
    return Policy(conf, RULES)


def test_decision_follows_the_owner_through_rule_references() -> None:
    enforcer = _policy()
    member = RequestContext("req-1", project_id="p1", roles=["member"])
    assert enforcer.check(member, "get_thing", {"id": "a", "project_id": "p1"})
    assert not enforcer.check(member, "get_thing", {"id": "b", "project_id": "p2"})
    assert enforcer.check(member, "get_thing", {"id": "c", "project_id": "p1"})
    assert not enforcer.check(member, "get_thing", {"id": "d"})


def test_resources_of_one_owner_share_one_memoized_decision() -> None:
    enforcer = _policy()
    member = RequestContext("req-1", project_id="p1", roles=["member"])
    for i in range(50):
        enforcer.check(member, "get_thing", {"id": str(i), "project_id": "p1"})
    assert len(enforcer._memo) == 1
