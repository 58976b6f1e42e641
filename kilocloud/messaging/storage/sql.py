"""The SQL message store (SQLite, MariaDB, PostgreSQL): queues and messages."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import ColumnElement

from kilocloud.core.db import Connection, Database
from kilocloud.deps import Services
from kilocloud.messaging import models
from kilocloud.messaging.models import Message as M
from kilocloud.messaging.storage import sql_queries as stmts
from kilocloud.messaging.storage import sql_rows as rows
from kilocloud.messaging.storage.base import ClaimConflict, ListQuery, Message, NewMessage, Stats
from kilocloud.messaging.storage.sql_batch import PostBatcher
from kilocloud.messaging.storage.sql_claims import SQLClaims
from kilocloud.messaging.storage.sql_rows import message_rows
from kilocloud.messaging.storage.sql_subscriptions import SQLSubscriptions

T = M.__table__


def in_queue(project: str, queue: str) -> ColumnElement[bool]:
    """Rows of one queue."""
    return and_(M.project == project, M.queue == queue)


def live(now: float) -> ColumnElement[bool]:
    """Messages not yet expired."""
    return M.expires_at > rows.to_dt(now)


def free(now: float) -> ColumnElement[bool]:
    """Messages no live claim holds."""
    return or_(M.claim_expires.is_(None), M.claim_expires <= rows.to_dt(now))


def ready(now: float) -> ColumnElement[bool]:
    """Messages whose delay has passed."""
    return or_(M.delay_until.is_(None), M.delay_until <= rows.to_dt(now))


class SQLStore(SQLClaims, SQLSubscriptions):
    """Every message store operation as SQL on the shared database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.batcher = PostBatcher(db)
        self.dialect = db.engine.dialect.name

    @classmethod
    def from_services(cls, services: Services) -> SQLStore:
        """The store on the cloud's database."""
        return cls(services.db)

    async def create_queue(self, project: str, name: str, metadata: dict[str, Any]) -> bool:
        q = models.Queue
        row = {"project": project, "name": name, "meta": metadata}
        try:
            async with self.db.transaction() as s:
                found = select(q.id).where(q.project == project, q.name == name)
                if (await s.execute(found)).first():
                    return False
                await s.execute(insert(q).values(**row, created_at=rows.to_dt(time.time())))
        except IntegrityError:  # another process created it between our check and insert
            return False
        return True

    async def queue_metadata(self, project: str, name: str) -> dict[str, Any] | None:
        params = {"project": project, "name": name}
        async with self.db.connect() as conn:
            return (await conn.execute(stmts.QUEUE_METADATA, params)).scalar_one_or_none()

    async def set_queue_metadata(self, project: str, name: str, metadata: dict) -> bool:
        q = models.Queue
        async with self.db.transaction() as s:
            stmt = update(q).where(q.project == project, q.name == name).values(meta=metadata)
            return (await s.execute(stmt)).rowcount > 0

    async def delete_queue(self, project: str, name: str) -> None:
        q = models.Queue
        async with self.db.transaction() as s:
            await s.execute(delete(q).where(q.project == project, q.name == name))
            await self._purge(s, project, name)
            await self._purge_subscriptions(s, project, name)

    async def list_queues(
        self, project: str, marker: str | None, limit: int
    ) -> list[tuple[str, dict[str, Any]]]:
        q = models.Queue
        stmt = select(q.name, q.meta).where(q.project == project)
        if marker:
            stmt = stmt.where(q.name > marker)
        async with self.db.connect() as s:
            result = await s.execute(stmt.order_by(q.name).limit(limit))
            return [(name, meta) for name, meta in result]

    async def count_queues(self, project: str) -> int:
        q = models.Queue
        async with self.db.connect() as s:
            stmt = select(func.count()).select_from(q).where(q.project == project)
            return (await s.execute(stmt)).scalar_one()

    async def post(
        self, project: str, queue: str, messages: list[NewMessage], client_id: str, now: float
    ) -> list[str]:
        values = message_rows(project, queue, messages, client_id, now)
        await self.batcher.insert(values)
        return [v["id"] for v in values]

    async def list_messages(
        self, project: str, queue: str, query: ListQuery, now: float
    ) -> list[Message]:
        stmt = stmts.listing(query.include_claimed, query.include_delayed, query.echo)
        params = {
            "b_project": project,
            "b_queue": queue,
            "now": rows.to_dt(now),
            "marker": query.marker,
            "limit": query.limit,
            "client": query.client_id,
        }
        async with self.db.connect() as conn:
            return [rows.message(r) for r in await conn.execute(stmt, params)]

    async def get_messages(
        self, project: str, queue: str, ids: list[str], now: float
    ) -> list[Message]:
        async with self.db.connect() as conn:
            found = await conn.execute(stmts.BY_IDS, {"ids": ids, "now": rows.to_dt(now)})
            mine = [rows.message(r) for r in found if r.project == project and r.queue == queue]
        return sorted(mine, key=lambda m: m.marker)

    async def delete_message(
        self, project: str, queue: str, message_id: str, claim_id: str | None, now: float
    ) -> None:
        params = {"b_project": project, "b_queue": queue, "message_id": message_id}
        params["now"] = rows.to_dt(now)
        if claim_id is None:
            statement = stmts.DELETE_FREE_ONE
        else:
            statement, params["claim"] = stmts.DELETE_HELD_ONE, claim_id
        # one conditional DELETE; the row is read only to word why nothing was deleted
        async with self.db.transaction() as conn:
            if (await conn.execute(statement, params)).rowcount:
                return
            row = (await conn.execute(stmts.ONE_MESSAGE, params)).first()
        if row is not None:
            raise ClaimConflict(row.claim_id if rows.message(row).claimed(now) else None)

    async def delete_messages(self, project: str, queue: str, ids: list[str], now: float) -> None:
        async with self.db.transaction() as conn:
            found = await conn.execute(stmts.SEQS_BY_IDS, {"ids": ids})
            seqs = [r.seq for r in found if r.project == project and r.queue == queue]
            if seqs:
                await conn.execute(stmts.DELETE_SEQS, {"seqs": seqs})

    async def pop(self, project: str, queue: str, limit: int, now: float) -> list[Message]:
        stmt = select(T).where(in_queue(project, queue), live(now), free(now), ready(now))
        stmt = stmt.order_by(M.marker).limit(limit).with_for_update(skip_locked=True)
        async with self.db.transaction() as s:
            popped = list(await s.execute(stmt))
            if popped:
                await s.execute(delete(T).where(M.seq.in_([r.seq for r in popped])))
            return [rows.message(r) for r in popped]

    async def stats(self, project: str, queue: str, now: float) -> Stats:
        base = select(func.count()).select_from(M).where(in_queue(project, queue), live(now))
        claimed = base.where(~free(now))
        delayed = base.where(free(now), ~ready(now))
        ends = select(T).where(in_queue(project, queue), live(now))
        async with self.db.connect() as s:
            total = (await s.execute(base)).scalar_one()
            n_claimed = (await s.execute(claimed)).scalar_one()
            n_delayed = (await s.execute(delayed)).scalar_one()
            oldest = (await s.execute(ends.order_by(M.marker).limit(1))).first()
            newest = (await s.execute(ends.order_by(M.marker.desc()).limit(1))).first()
        return Stats(
            free=total - n_claimed - n_delayed,
            claimed=n_claimed,
            delayed=n_delayed,
            oldest=oldest and rows.message(oldest),
            newest=newest and rows.message(newest),
        )

    async def purge_messages(self, project: str, queue: str) -> None:
        async with self.db.transaction() as s:
            await self._purge(s, project, queue)

    async def _purge(self, s: Connection, project: str, queue: str) -> None:
        c = models.Claim
        await s.execute(delete(M).where(in_queue(project, queue)))
        await s.execute(delete(c).where(c.project == project, c.queue == queue))

    async def collect_garbage(self, now: float) -> None:
        at = rows.to_dt(now)
        async with self.db.transaction() as s:
            await s.execute(delete(M).where(M.expires_at <= at))
            await s.execute(delete(models.Claim).where(models.Claim.expires_at <= at))
            sub = models.Subscription
            await s.execute(delete(sub).where(sub.expires_at <= at))

    async def close(self) -> None:
        return None
