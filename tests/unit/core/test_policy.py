"""Policy decisions: memoized by what a rule can see of the target, never by more or less."""

from __future__ import annotations

import os
import time

from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from kilocloud.core import policy as policy_module
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


def test_a_changed_policy_file_changes_the_next_decision(tmp_path, monkeypatch) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"get_thing": "role:admin"\n')
    conf = cfg.ConfigOpts()
    conf([], project="kilocloud-test-policy")
    policy_opts.set_defaults(conf, policy_file=str(policy_file))
    enforcer = Policy(conf, RULES)
    member = RequestContext("req-1", project_id="p1", roles=["member"])
    target = {"id": "a", "project_id": "p1"}
    assert not enforcer.check(member, "get_thing", target)
    assert enforcer.check(member, "get_thing", target) is False  # memoized, unchanged file
    policy_file.write_text('"get_thing": "role:member"\n')
    os.utime(policy_file, (time.time() + 5, time.time() + 5))
    monkeypatch.setattr(policy_module, "RELOAD_SECONDS", 0.0)
    assert enforcer.check(member, "get_thing", target)
