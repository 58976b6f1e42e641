"""Zaqar-style delivery retry policy."""

from __future__ import annotations

from kilocloud.messaging.delivery import retry


def test_default_policy_has_four_phases() -> None:
    delays = retry.delays(retry.policy({}, {}))
    assert delays[:3] == [0.0, 0.0, 0.0]
    assert delays[3:6] == [5.0, 5.0, 5.0]
    assert all(5.0 < d < 30.0 for d in delays[6:9])
    assert delays[9:] == [30.0, 30.0, 30.0]


def test_backoff_rises_to_the_maximum() -> None:
    for name in ("linear", "arithmetic", "geometric", "exponential"):
        rules = retry.policy({}, {"_retry_policy": {"retry_backoff_function": name}})
        backoff = retry.delays(rules)[6:9]
        assert backoff == sorted(backoff) and backoff[-1] <= 30.0, name


def test_subscription_overrides_queue_unless_forbidden() -> None:
    queue = {"_retry_policy": {"retries_with_no_delay": 1}}
    sub = {"_retry_policy": {"retries_with_no_delay": 5}}
    assert retry.policy(queue, sub)["retries_with_no_delay"] == 5
    queue["_retry_policy"]["ignore_subscription_override"] = True
    assert retry.policy(queue, sub)["retries_with_no_delay"] == 1
