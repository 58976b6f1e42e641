"""Images read for display with plain SQL (no ORM): one query for rows, one for their details.

Reads are most of the API's traffic; building ORM objects with three relationship loads per
image cost several times more than the queries themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import CompoundSelect, Select, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.image.models import Image, ImageLocation, ImageProperty, ImageTag
from kilocloud.image.service import access
from kilocloud.image.service.records import COLUMNS, ImageRow

IMAGES = Image.__table__
ROW_COLUMNS = [IMAGES.c[name] for name in COLUMNS]


def rows_query() -> Select:
    """SELECT of the columns an ImageRow is built from."""
    return select(*ROW_COLUMNS)


async def fetch(session: AsyncSession, ctx: RequestContext, image_id: str) -> ImageRow:
    """The image `ctx` may see, for display; 404 when missing or hidden from the caller."""
    rows = await fetch_many(
        session, rows_query().where(IMAGES.c.id == image_id, access.visible(ctx))
    )
    if not rows:
        raise access.not_found(image_id)
    return rows[0]


async def fetch_many(session: AsyncSession, query: Select) -> list[ImageRow]:
    """The ImageRows `query` (a rows_query with conditions) selects, in its order."""
    rows = [ImageRow(**row) for row in (await session.execute(query)).mappings()]
    if rows:
        await _attach(session, rows)
    return rows


async def _attach(session: AsyncSession, rows: Sequence[ImageRow]) -> None:
    """Fill in properties, tags and locations of `rows` with one query."""
    by_id = {row.id: row for row in rows}
    _fill(by_id, (await session.execute(_details(list(by_id)))).all())


def _details(ids: list[str]) -> CompoundSelect:
    """(kind, image_id, first, second) of the properties, tags and locations of `ids`."""
    return union_all(
        _detail("p", ImageProperty.image_id, ImageProperty.name, ImageProperty.value, ids),
        _detail("t", ImageTag.image_id, ImageTag.value, null(), ids),
        _detail("l", ImageLocation.image_id, ImageLocation.store, ImageLocation.url, ids),
    )


def _detail(kind: str, image_id: Any, first: Any, second: Any, ids: list[str]) -> Select:
    columns = (literal(kind).label("kind"), image_id.label("image_id"))
    return select(*columns, first.label("first"), second.label("second")).where(image_id.in_(ids))


def _fill(by_id: dict[str, ImageRow], details: Iterable[Sequence[Any]]) -> None:
    for kind, image_id, first, second in details:
        row = by_id[image_id]
        if kind == "p":
            row.properties[first] = second
        elif kind == "t":
            row.tags.append(first)
        else:
            row.locations.append((first, second))
    for row in by_id.values():
        row.tags.sort()
