"""Per-queue marker counters: markers that follow commit order, whatever the engine.

Taking markers updates the queue's counter row, which stays locked until the posting
transaction commits; a later poster to that queue waits, so a page read by marker never
passes over a message that commits afterwards with a smaller marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import mysql, postgresql, sqlite

from kilocloud.core.db import Connection
from kilocloud.messaging.models import QueueCounter

COUNTERS = QueueCounter.__table__
C = COUNTERS.c


def _returning_upsert(dialect: Any) -> Any:  # noqa: ANN401 - a dialect's Insert
    stmt = dialect.insert(COUNTERS)
    stmt = stmt.on_conflict_do_update(
        index_elements=[C.project, C.queue], set_={"counter": C.counter + stmt.excluded.counter}
    )
    return stmt.returning(C.counter)


def _mysql_upsert() -> Any:  # noqa: ANN401 - a MySQL Insert
    stmt = mysql.insert(COUNTERS)
    return stmt.on_duplicate_key_update(counter=C.counter + stmt.inserted.counter)


UPSERT = {"sqlite": _returning_upsert(sqlite), "postgresql": _returning_upsert(postgresql)}
MYSQL_UPSERT = _mysql_upsert()
MYSQL_READ = select(C.counter).where(
    C.project == bindparam("project"), C.queue == bindparam("queue")
)


async def take(s: Connection, dialect: str, project: str, queue: str, n: int) -> int:
    """Reserve `n` markers of the queue in this transaction; the first of them."""
    params = {"project": project, "queue": queue, "counter": n}
    if dialect in UPSERT:
        last = (await s.execute(UPSERT[dialect], params)).scalar_one()
    else:
        await s.execute(MYSQL_UPSERT, params)
        last = (await s.execute(MYSQL_READ, params)).scalar_one()
    return last - n + 1


async def assign(s: Connection, dialect: str, rows: Sequence[dict[str, Any]]) -> None:
    """Give each row (of any queues) the next marker of its queue, in order."""
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["project"], row["queue"])
        counts[key] = counts.get(key, 0) + 1
    # A fixed locking order keeps concurrent batches over the same queues from deadlocking.
    nexts = {key: await take(s, dialect, *key, n) for key, n in sorted(counts.items())}
    for row in rows:
        key = (row["project"], row["queue"])
        row["marker"], nexts[key] = nexts[key], nexts[key] + 1
