"""Claims on the SQL message store: row locks keep concurrent claimers apart."""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import and_, case, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.db import Connection, Database
from kilocloud.messaging import models
from kilocloud.messaging.models import Message as M
from kilocloud.messaging.storage import sql_markers as markers
from kilocloud.messaging.storage import sql_queries as stmts
from kilocloud.messaging.storage import sql_rows as rows
from kilocloud.messaging.storage.base import Claim, ClaimSpec, Message, NewMessage

T = M.__table__
CLAIMS = models.Claim.__table__


def _hold_until(expires_at: datetime.datetime):  # noqa: ANN202 - SQL expression
    """A message outlives the claim holding it (by its grace)."""
    return case((M.expires_at < expires_at, expires_at), else_=M.expires_at)


class SQLClaims:
    """The claim half of SQLStore."""

    db: Database
    dialect: str

    async def claim(self, project: str, queue: str, spec: ClaimSpec, now: float) -> Claim | None:
        """Claim up to `spec.limit` free messages; None when there is none."""
        claim = Claim(uuid.uuid4().hex, spec.ttl, spec.grace, now, now + spec.ttl)
        params = {
            "b_project": project,
            "b_queue": queue,
            "now": rows.to_dt(now),
            "limit": spec.limit,
            "claim": claim.id,
            "claim_until": rows.to_dt(claim.expires),
            "hold": rows.to_dt(now + claim.ttl + claim.grace),
        }
        dead_letters = spec.max_claim_count and spec.dead_letter_queue
        async with self.db.transaction() as conn:
            if self.dialect in ("sqlite", "postgresql") and not dead_letters:
                held = [rows.message(r) for r in await conn.execute(stmts.CLAIM_RETURNING, params)]
                claim.messages = sorted(held, key=lambda m: m.marker)
            else:
                claim.messages = await self._claim_selected(conn, project, spec, params)
            if not claim.messages:
                return None
            await conn.execute(stmts.INSERT_CLAIM, self._claim_row(project, queue, claim))
        return claim

    async def _claim_selected(
        self, s: Connection, project: str, spec: ClaimSpec, params: dict
    ) -> list[Message]:
        """Lock the candidates, dead-letter the over-claimed, then hold the rest."""
        candidates = list(await s.execute(stmts.CANDIDATES, params))
        if spec.max_claim_count and spec.dead_letter_queue:
            candidates = await self._dead_letter(s, project, candidates, spec, params)
        if not candidates:
            return []
        await s.execute(stmts.HOLD_SEQS, {**params, "seqs": [r.seq for r in candidates]})
        held = [rows.message(r) for r in candidates]
        hold_until = rows.to_ts(params["hold"])
        for m in held:
            m.claim_count += 1
            m.claim_id, m.claim_expires = params["claim"], rows.to_ts(params["claim_until"])
            m.expires = max(m.expires, hold_until)
        return held

    async def _dead_letter(
        self, s: Connection, project: str, candidates: list, spec: ClaimSpec, params: dict
    ) -> list:
        """Move messages claimed `max_claim_count` times to the dead letter queue."""
        dead = [r for r in candidates if r.claim_count >= spec.max_claim_count]
        if not dead:
            return candidates
        now = rows.to_ts(params["now"])
        new = [
            row
            for r in dead
            for row in rows.message_rows(
                project,
                spec.dead_letter_queue,
                [NewMessage(r.body.encode(), spec.dead_letter_ttl or r.ttl)],
                r.client_id,
                now,
            )
        ]
        await markers.assign(s, self.dialect, new)
        await s.execute(insert(T), new)
        await s.execute(delete(T).where(M.seq.in_([r.seq for r in dead])))
        return [r for r in candidates if r not in dead]

    def _claim_row(self, project: str, queue: str, claim: Claim) -> dict:
        return {
            "id": claim.id,
            "project": project,
            "queue": queue,
            "ttl": claim.ttl,
            "grace": claim.grace,
            "created_at": rows.to_dt(claim.created),
            "expires_at": rows.to_dt(claim.expires),
        }

    async def get_claim(self, project: str, queue: str, claim_id: str, now: float) -> Claim | None:
        """A live claim with its messages."""
        async with self.db.read() as s:
            row = await self._claim(s, project, queue, claim_id, now)
            if row is None:
                return None
            stmt = select(T).where(M.claim_id == claim_id, M.expires_at > rows.to_dt(now))
            messages = [rows.message(r) for r in await s.execute(stmt.order_by(M.marker))]
        created, expires = rows.to_ts(row.created_at), rows.to_ts(row.expires_at)
        return Claim(row.id, row.ttl, row.grace, created, expires, messages)

    async def _claim(
        self, s: AsyncSession, project: str, queue: str, claim_id: str, now: float
    ) -> models.Claim | None:
        c = models.Claim
        stmt = select(c).where(
            c.id == claim_id, c.project == project, c.queue == queue, c.expires_at > rows.to_dt(now)
        )
        return (await s.scalars(stmt)).first()

    async def renew_claim(
        self, project: str, queue: str, claim_id: str, ttl: int, grace: int, now: float
    ) -> bool:
        """Extend a live claim from `now`; False when there is none."""
        async with self.db.write() as s:
            row = await self._claim(s, project, queue, claim_id, now)
            if row is None:
                return False
            row.ttl, row.grace, row.expires_at = ttl, grace, rows.to_dt(now + ttl)
            await s.execute(
                update(T)
                .where(M.claim_id == claim_id)
                .values(
                    claim_expires=rows.to_dt(now + ttl),
                    expires_at=_hold_until(rows.to_dt(now + ttl + grace)),
                )
            )
            return True

    async def release_claim(self, project: str, queue: str, claim_id: str, now: float) -> None:
        """Release a claim's messages and forget the claim."""
        c = models.Claim
        async with self.db.transaction() as s:
            where = and_(c.id == claim_id, c.project == project, c.queue == queue)
            if (await s.execute(delete(c).where(where))).rowcount:
                await s.execute(
                    update(T)
                    .where(M.claim_id == claim_id)
                    .values(claim_id=None, claim_expires=None)
                )
