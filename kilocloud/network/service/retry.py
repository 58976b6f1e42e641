"""Transactions that lost a deadlock are run again, as oslo.db's retry decorator does."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

T = TypeVar("T")
ATTEMPTS = 6


def _deadlock(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "deadlock" in text or "lock wait timeout" in text or "could not serialize" in text


async def retrying(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` (one whole transaction) again when the database chose it as a deadlock victim."""
    for attempt in range(ATTEMPTS):
        try:
            return await work()
        except DBAPIError as exc:
            if not _deadlock(exc) or attempt == ATTEMPTS - 1:
                raise
            await asyncio.sleep(random.uniform(0, 0.02 * (attempt + 1)))
    raise AssertionError("unreachable")
