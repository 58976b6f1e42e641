"""Zaqar's delivery retry policy: immediate, minimum-delay, back-off and maximum-delay phases."""

from __future__ import annotations

from typing import Any

DEFAULTS = {
    "retries_with_no_delay": 3,
    "minimum_delay_retries": 3,
    "minimum_delay": 5,
    "maximum_delay": 30,
    "maximum_delay_retries": 3,
    "retry_backoff_function": "linear",
}
BACKOFF_STEPS = 3


def _backoff(name: str, low: float, high: float, steps: int) -> list[float]:
    """`steps` delays rising from `low` to `high` along the named curve."""
    out = []
    for i in range(1, steps + 1):
        if name == "geometric":
            value = low * (high / low) ** (i / (steps + 1)) if low > 0 else high * i / steps
        elif name == "exponential":
            value = low * 2**i
        elif name == "arithmetic":
            value = low + (high - low) * i * (i + 1) / ((steps + 1) * (steps + 2))
        else:
            value = low + (high - low) * i / (steps + 1)
        out.append(min(value, high))
    return out


def policy(queue_meta: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The effective policy: the subscription's unless the queue forbids overriding it."""
    queue_policy = queue_meta.get("_retry_policy") or {}
    sub_policy = options.get("_retry_policy") or {}
    if queue_policy.get("ignore_subscription_override"):
        sub_policy = {}
    return {**DEFAULTS, **queue_policy, **sub_policy}


def delays(rules: dict[str, Any]) -> list[float]:
    """Seconds to wait before each retry, in order."""
    low, high = float(rules["minimum_delay"]), float(rules["maximum_delay"])
    return [
        *[0.0] * int(rules["retries_with_no_delay"]),
        *[low] * int(rules["minimum_delay_retries"]),
        *_backoff(str(rules["retry_backoff_function"]), low, high, BACKOFF_STEPS),
        *[high] * int(rules["maximum_delay_retries"]),
    ]
