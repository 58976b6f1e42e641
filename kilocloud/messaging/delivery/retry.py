"""Zaqar's delivery retry policy: immediate, minimum-delay, back-off and maximum-delay phases."""

from __future__ import annotations

import math
from typing import Any

from kilocloud.messaging.errors import InvalidRequest

DEFAULTS: dict[str, Any] = {
    "retries_with_no_delay": 3,
    "minimum_delay_retries": 3,
    "minimum_delay": 5,
    "maximum_delay": 30,
    "maximum_delay_retries": 3,
    "retry_backoff_function": "linear",
}
STEP = 5  # seconds between back-off points on the linear curve, as in Zaqar
COUNTS = ("retries_with_no_delay", "minimum_delay_retries", "maximum_delay_retries")
CURVES = ("linear", "arithmetic", "geometric", "exponential")


def validate(policy: Any) -> None:
    """400 unless `policy` is a _retry_policy Zaqar accepts."""
    if not policy:
        return
    if not isinstance(policy, dict):
        raise InvalidRequest("_retry_policy must be an object.")
    for key in (*COUNTS, "minimum_delay", "maximum_delay"):
        if policy.get(key) and (not isinstance(policy[key], int) or policy[key] < 0):
            raise InvalidRequest(f"Retry policy: {key} must be a non-negative integer.")
    curve = policy.get("retry_backoff_function")
    if curve and curve not in CURVES:
        raise InvalidRequest(f"retry_backoff_function must be one of {', '.join(CURVES)}.")
    if policy.get("ignore_subscription_override") not in (None, True, False):
        raise InvalidRequest("ignore_subscription_override must be a boolean.")
    low = policy.get("minimum_delay") or DEFAULTS["minimum_delay"]
    high = policy.get("maximum_delay") or DEFAULTS["maximum_delay"]
    if high < low:
        raise InvalidRequest("minimum_delay must be less than maximum_delay.")
    if high - low < 2 * STEP:
        raise InvalidRequest(
            f"maximum_delay must exceed minimum_delay by {2 * STEP} seconds or more."
        )


def policy(queue_meta: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """The effective policy: the subscription's, else the queue's; the queue's if it insists."""
    queue_policy = _usable(queue_meta.get("_retry_policy"))
    sub_policy = _usable(options.get("_retry_policy"))
    insists = queue_policy.get("ignore_subscription_override") or sub_policy.get(
        "ignore_subscription_override"
    )
    chosen = queue_policy if insists else (sub_policy or queue_policy)
    return {**DEFAULTS, **chosen}


def _usable(value: Any) -> dict[str, Any]:
    """A stored policy, or nothing if it would not validate now (say, queue metadata)."""
    try:
        validate(value)
    except InvalidRequest:
        return {}
    return value or {}


def backoff(name: str, low: int, high: int) -> list[float]:
    """The back-off phase's delays, rising from `low` to `high` along the named curve."""
    if name == "linear" or low <= 0:
        return [float(d) for d in range(low, high, STEP)]
    points = int((high - low) / STEP)
    if name == "arithmetic":
        step = 2.0 * (high - low) / (points * (points - 1))
        return [float(int(low + (a - 1) * a * step / 2)) for a in range(1, points + 1)]
    ratio = math.pow(10, math.log10(high / low) / (points - 1))
    start = low if name == "geometric" else low / ratio
    power = (lambda a: a - 1) if name == "geometric" else (lambda a: a)
    return [float(int(start * math.pow(ratio, power(a)))) for a in range(1, points + 1)]


def delays(rules: dict[str, Any]) -> list[float]:
    """Seconds to wait before each retry after the first attempt failed, in order."""
    low, high = int(rules["minimum_delay"]), int(rules["maximum_delay"])
    return [
        *[0.0] * int(rules["retries_with_no_delay"]),
        *[float(low)] * int(rules["minimum_delay_retries"]),
        *backoff(str(rules["retry_backoff_function"]), low, high),
        *[float(high)] * int(rules["maximum_delay_retries"]),
    ]
