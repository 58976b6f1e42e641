"""Who is calling the messaging service: the request context, its project and Client-ID."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kilocloud.core.context import RequestContext
from kilocloud.core.policy import Policy


@dataclass
class Caller:
    """An authenticated (or pre-signed) caller acting in `project` as `client_id`."""

    ctx: RequestContext
    project: str
    client_id: str


def now() -> float:
    """The time, in UNIX seconds, every expiry is measured against."""
    return time.time()


def enforce(policy: Policy, caller: Caller, rule: str) -> None:
    """Raise Forbidden unless the caller passes `rule` on its own project."""
    policy.enforce(caller.ctx, rule, {"project_id": caller.project})
