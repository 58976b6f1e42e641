"""Subscriptions on the SQL message store."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from kilocloud.core.db import Connection, Database
from kilocloud.messaging.models import Subscription as S
from kilocloud.messaging.storage import sql_rows as rows
from kilocloud.messaging.storage.base import DuplicateSubscriber, Subscription


def _of(project: str, queue: str, sub_id: str):  # noqa: ANN202 - SQL expression
    return and_(S.project == project, S.queue == queue, S.id == sub_id)


class SQLSubscriptions:
    """The subscription half of SQLStore."""

    db: Database

    async def create_subscription(
        self, project: str, queue: str, subscriber: str, ttl: int, options: dict, now: float
    ) -> str:
        """The new subscription's id; DuplicateSubscriber if the subscriber is taken."""
        sub_id = uuid.uuid4().hex
        values = {
            "id": sub_id,
            "project": project,
            "queue": queue,
            "subscriber": subscriber,
            "ttl": ttl,
            "options": options,
            "created_at": rows.to_dt(now),
            "expires_at": rows.to_dt(now + ttl),
            "confirmed": False,
        }
        try:
            async with self.db.transaction() as s:
                live = S.expires_at > rows.to_dt(now)
                taken = select(S.id).where(
                    S.project == project, S.queue == queue, S.subscriber == subscriber
                )
                if (await s.execute(taken.where(live))).first():
                    raise DuplicateSubscriber(subscriber)
                await s.execute(
                    delete(S).where(
                        S.project == project, S.queue == queue, S.subscriber == subscriber
                    )
                )
                await s.execute(insert(S).values(**values))
        except IntegrityError:
            raise DuplicateSubscriber(subscriber) from None
        return sub_id

    async def get_subscription(
        self, project: str, queue: str, sub_id: str, now: float
    ) -> Subscription | None:
        """A live subscription."""
        stmt = select(S).where(_of(project, queue, sub_id), S.expires_at > rows.to_dt(now))
        async with self.db.read() as s:
            row = (await s.scalars(stmt)).first()
            return row and rows.subscription(row)

    async def list_subscriptions(
        self, project: str, queue: str, marker: str | None, limit: int, now: float
    ) -> list[Subscription]:
        """Live subscriptions of the queue, in id order after `marker`."""
        stmt = select(S).where(S.project == project, S.queue == queue)
        stmt = stmt.where(S.expires_at > rows.to_dt(now))
        if marker:
            stmt = stmt.where(S.id > marker)
        async with self.db.read() as s:
            result = await s.scalars(stmt.order_by(S.id).limit(limit))
            return [rows.subscription(r) for r in result]

    async def update_subscription(
        self, project: str, queue: str, sub_id: str, changes: dict[str, Any], now: float
    ) -> bool:
        """Apply subscriber/ttl/options/confirmed changes; False when there is none."""
        if not changes:
            return await self.get_subscription(project, queue, sub_id, now) is not None
        values = dict(changes)
        if "ttl" in values:
            values["expires_at"] = rows.to_dt(now + values["ttl"])
        try:
            async with self.db.transaction() as s:
                stmt = update(S).where(_of(project, queue, sub_id), S.expires_at > rows.to_dt(now))
                return (await s.execute(stmt.values(**values))).rowcount > 0
        except IntegrityError:
            raise DuplicateSubscriber(changes.get("subscriber")) from None

    async def delete_subscription(self, project: str, queue: str, sub_id: str) -> None:
        """Forget a subscription."""
        async with self.db.transaction() as s:
            await s.execute(delete(S).where(_of(project, queue, sub_id)))

    async def purge_subscriptions(self, project: str, queue: str) -> None:
        """Forget every subscription of the queue."""
        async with self.db.transaction() as s:
            await self._purge_subscriptions(s, project, queue)

    async def _purge_subscriptions(self, s: Connection, project: str, queue: str) -> None:
        await s.execute(delete(S).where(S.project == project, S.queue == queue))
