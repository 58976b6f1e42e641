"""Revocation events: written to the database, mirrored in memory, matched against tokens."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.db import Database
from kilocloud.identity.models import RevocationEvent


@dataclass(frozen=True)
class TokenFacts:
    """What a revocation event can match in a token."""

    user_id: str
    project_id: str | None
    domain_ids: frozenset[str]
    role_ids: frozenset[str]
    audit_id: str
    audit_chain_id: str
    trust_id: str | None
    app_cred_id: str | None
    issued_at: float


def _matches(event: RevocationEvent, facts: TokenFacts, issued_us: int) -> bool:
    if event.issued_before_us < issued_us:
        return False
    for name in ("user_id", "project_id", "trust_id", "app_cred_id"):
        value = getattr(event, name)
        if value is not None and value != getattr(facts, name):
            return False
    if event.domain_id is not None and event.domain_id not in facts.domain_ids:
        return False
    if event.role_id is not None and event.role_id not in facts.role_ids:
        return False
    if event.audit_id is not None and event.audit_id != facts.audit_id:
        return False
    return event.audit_chain_id is None or event.audit_chain_id == facts.audit_chain_id


class RevocationList:
    """The events of the last token lifetime, refreshed from the database every few seconds."""

    def __init__(self, db: Database, refresh_seconds: int) -> None:
        self.db = db
        self.refresh_seconds = refresh_seconds
        self._events: list[RevocationEvent] = []
        self._last_id = 0
        self._loaded_at = 0.0

    async def _refresh(self) -> None:
        if time.monotonic() - self._loaded_at < self.refresh_seconds:
            return
        async with self.db.read() as session:
            rows = await session.scalars(
                select(RevocationEvent).where(RevocationEvent.id > self._last_id)
            )
            new = list(rows)
        self._events.extend(new)
        if new:
            self._last_id = max(e.id for e in new)
        self._loaded_at = time.monotonic()

    async def is_revoked(self, facts: TokenFacts) -> bool:
        """Whether any revocation event covers the token described by `facts`."""
        await self._refresh()
        issued_us = round(facts.issued_at * 1_000_000)
        return any(_matches(e, facts, issued_us) for e in self._events)

    async def add(self, session: AsyncSession, **fields: str | None) -> None:
        """Record an event revoking every token issued until now that matches `fields`."""
        event = RevocationEvent(issued_before_us=time.time_ns() // 1000, **fields)
        session.add(event)
        await session.flush()
        # seen at once by this process; other processes pick it up on their next refresh
        self._events.append(event)
        self._loaded_at = 0.0

    async def prune(self, older_than: datetime.datetime) -> None:
        """Drop events that no unexpired token can match any more."""
        async with self.db.write() as session:
            await session.execute(
                delete(RevocationEvent).where(RevocationEvent.revoked_at < older_than)
            )
        self._events = [e for e in self._events if e.revoked_at >= older_than]
