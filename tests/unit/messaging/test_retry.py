"""Zaqar's delivery retry policy (`_retry_policy`): its phases, curves and validation."""

from __future__ import annotations

import pytest

from kilocloud.messaging.delivery import retry
from kilocloud.messaging.errors import InvalidRequest


def test_default_policy_has_four_phases() -> None:
    delays = retry.delays(retry.policy({}, {}))
    assert delays[:3] == [0.0, 0.0, 0.0]
    assert delays[3:6] == [5.0, 5.0, 5.0]
    assert delays[6:11] == [5.0, 10.0, 15.0, 20.0, 25.0]
    assert delays[11:] == [30.0, 30.0, 30.0]


@pytest.mark.parametrize("name", ["linear", "arithmetic", "geometric", "exponential"])
def test_backoff_rises_from_the_minimum_to_the_maximum(name: str) -> None:
    backoff = retry.backoff(name, 5, 30)
    assert backoff == sorted(backoff) and backoff[0] == 5.0 and backoff[-1] <= 30.0


def test_subscription_policy_replaces_the_queue_policy_unless_forbidden() -> None:
    queue = {"_retry_policy": {"retries_with_no_delay": 1, "minimum_delay_retries": 0}}
    sub = {"_retry_policy": {"retries_with_no_delay": 5}}
    chosen = retry.policy(queue, sub)
    assert (chosen["retries_with_no_delay"], chosen["minimum_delay_retries"]) == (5, 3)
    queue["_retry_policy"]["ignore_subscription_override"] = True
    assert retry.policy(queue, sub)["retries_with_no_delay"] == 1


def test_a_stored_policy_that_is_not_valid_falls_back_to_the_defaults() -> None:
    chosen = retry.policy({"_retry_policy": {"minimum_delay": "soon"}}, {})
    assert chosen == retry.DEFAULTS


@pytest.mark.parametrize(
    "policy",
    [
        [1],
        {"retries_with_no_delay": "3"},
        {"minimum_delay": -1},
        {"retry_backoff_function": "cubic"},
        {"ignore_subscription_override": "yes"},
        {"minimum_delay": 30, "maximum_delay": 5},
        {"minimum_delay": 25, "maximum_delay": 30},
    ],
)
def test_invalid_policies_are_refused(policy: object) -> None:
    with pytest.raises(InvalidRequest):
        retry.validate(policy)
