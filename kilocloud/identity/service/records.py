"""Rows by id with Keystone's 404, writes whose duplicates become 409, and list limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import BadRequest, Conflict, NotFound
from kilocloud.identity.service import Identity

T = TypeVar("T")


async def get(session: AsyncSession, model: type[T], entity_id: str, kind: str) -> T:
    """The row `entity_id` of `model`; 404 "Could not find <kind>: <id>." if there is none."""
    row = await session.get(model, entity_id)
    if row is None:
        raise not_found(kind, entity_id)
    return row


def not_found(kind: str, entity_id: str) -> NotFound:
    """Keystone's 404 for an unknown id."""
    return NotFound(f"Could not find {kind}: {entity_id}.")


def bad_field(field: str, reason: str) -> BadRequest:
    """Keystone's 400 naming the field at fault."""
    return BadRequest(f"Invalid input for field '{field}': {reason}")


def duplicate(kind: str, detail: str) -> Conflict:
    """Keystone's 409 for a second entity with the same unique attributes."""
    return Conflict(f"Conflict occurred attempting to store {kind} - Duplicate entry {detail}.")


@asynccontextmanager
async def writing(idn: Identity, kind: str) -> AsyncIterator[AsyncSession]:
    """A write transaction in which a lost race on a unique key is a 409, never a 500."""
    try:
        async with idn.db.write() as session:
            yield session
    except IntegrityError:
        raise Conflict(
            f"Conflict occurred attempting to store {kind} - Duplicate entry found."
        ) from None


@asynccontextmanager
async def ensuring(idn: Identity) -> AsyncIterator[AsyncSession]:
    """A write transaction for an idempotent insert: losing a race to the same insert is fine."""
    try:
        async with idn.db.write() as session:
            yield session
    except IntegrityError:
        return


def limited(idn: Identity, rows: Sequence[T]) -> tuple[list[T], bool]:
    """`rows` cut to [identity] list_limit, and whether anything was cut."""
    limit = idn.conf.identity.list_limit
    if limit and len(rows) > limit:
        return list(rows[:limit]), True
    return list(rows), False


def extra_of(ref: dict[str, Any], known: Sequence[str]) -> dict[str, Any]:
    """The attributes of `ref` that have no column: Keystone keeps them in `extra`."""
    return {k: v for k, v in ref.items() if k not in known}
