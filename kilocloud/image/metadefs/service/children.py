"""What objects, properties and tags share: rows named uniquely within their namespace."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import Conflict, Forbidden, NotFound
from kilocloud.image.metadefs.models import MetadefNamespace

Row = TypeVar("Row")


def missing(what: str, name: str, ns: str) -> NotFound:
    """The 404 for a `what` (object, property, tag) not in namespace `ns`."""
    return NotFound(f"Metadata definition {what} {name} was not found in namespace {ns}.")


def duplicate(what: str, name: str, ns: str) -> Conflict:
    """The 409 for a second `what` called `name` in namespace `ns`."""
    return Conflict(f"A metadata definition {what} called {name} already exists in namespace {ns}.")


async def find(
    session: AsyncSession, model: type[Row], ns: MetadefNamespace, name: str, what: str
) -> Row:
    """The `model` row called `name` in `ns`; 404 when there is none."""
    query = select(model).where(model.namespace_id == ns.id, model.name == name)  # type: ignore[attr-defined]
    row = await session.scalar(query)
    if row is None:
        raise missing(what, name, ns.namespace)
    return row


async def remove(
    session: AsyncSession, model: type[Row], ns: MetadefNamespace, name: str, what: str
) -> Row:
    """Delete the `model` row called `name` in `ns` and return it; 403 in a protected namespace."""
    row = await find(session, model, ns, name, what)
    if ns.protected:
        raise Forbidden(
            f"The {what} {name} is in protected namespace {ns.namespace} and cannot be deleted."
        )
    await session.delete(row)
    return row


async def refuse_taken(
    session: AsyncSession, model: Any, ns: MetadefNamespace, name: str, what: str
) -> None:
    """409 when `ns` already has a `model` row called `name`."""
    query = select(model.id).where(model.namespace_id == ns.id, model.name == name)
    if await session.scalar(query) is not None:
        raise duplicate(what, name, ns.namespace)


async def flush(session: AsyncSession, what: str, name: str, ns: MetadefNamespace) -> None:
    """Write pending rows now; a unique name taken meanwhile by another request is a 409."""
    try:
        await session.flush()
    except IntegrityError:
        raise duplicate(what, name, ns.namespace) from None


async def clear(session: AsyncSession, model: Any, ns: MetadefNamespace) -> None:
    """Delete every `model` row of `ns`."""
    await session.execute(delete(model).where(model.namespace_id == ns.id))
