"""Images as plain rows (no ORM): read for display (rows, then one query for their details),
and inserted when new.

Reads are most of the API's traffic; building ORM objects with three relationship loads per
image, or flushing them through the unit of work, cost several times more than the SQL itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, bindparam, insert, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.image.models import Image, ImageLocation, ImageProperty, ImageTag
from kilocloud.image.service import access
from kilocloud.image.service.records import COLUMNS, ImageRow

IMAGES = Image.__table__
ROW_COLUMNS = [IMAGES.c[name] for name in COLUMNS]


async def add(session: AsyncSession, row: ImageRow) -> None:
    """Insert a new image with its properties and tags (plain inserts: no unit of work)."""
    conn = await session.connection()
    await conn.execute(insert(IMAGES), {name: getattr(row, name) for name in COLUMNS})
    if row.properties:
        values = [{"image_id": row.id, "name": k, "value": v} for k, v in row.properties.items()]
        await conn.execute(insert(ImageProperty), values)
    if row.tags:
        values = [{"image_id": row.id, "value": tag} for tag in row.tags]
        await conn.execute(insert(ImageTag), values)


def rows_query() -> Select:
    """SELECT of the columns an ImageRow is built from."""
    return select(*ROW_COLUMNS)


# Built once: constructing these statements cost more than running them.
_CALLER = bindparam("caller")
_BY_ID = rows_query().where(IMAGES.c.id == bindparam("image_id"))
_VISIBLE_BY_ID = _BY_ID.where(
    or_(
        IMAGES.c.owner == _CALLER,
        IMAGES.c.visibility.in_(("public", "community")),
        and_(IMAGES.c.visibility == "shared", access.membership(_CALLER)),
    )
)


async def fetch(session: AsyncSession, ctx: RequestContext, image_id: str) -> ImageRow:
    """The image `ctx` may see, for display; 404 when missing or hidden from the caller."""
    query, params = _BY_ID, {"image_id": image_id}
    if not ctx.is_admin:
        query, params = _VISIBLE_BY_ID, {**params, "caller": ctx.project_id}
    rows = await fetch_many(session, query, params)
    if not rows:
        raise access.not_found(image_id)
    return rows[0]


async def fetch_many(
    session: AsyncSession, query: Select, params: dict[str, Any] | None = None
) -> list[ImageRow]:
    """The ImageRows `query` (a rows_query with conditions) selects, in its order."""
    conn = await session.connection()  # Core statements: the ORM's execute path only costs
    result = await conn.execute(query, params)
    rows = [ImageRow(**row) for row in result.mappings()]
    if rows:
        by_id = {row.id: row for row in rows}
        _fill(by_id, (await conn.execute(_DETAILS, {"ids": list(by_id)})).all())
    return rows


def _detail(kind: str, image_id: Any, first: Any, second: Any) -> Select:
    columns = (literal(kind), image_id, first, second)
    return select(*columns).where(image_id.in_(bindparam("ids", expanding=True)))


# (kind, image_id, first, second) of the properties, tags and locations of the images "ids"
_DETAILS = union_all(
    _detail("p", ImageProperty.image_id, ImageProperty.name, ImageProperty.value),
    _detail("t", ImageTag.image_id, ImageTag.value, null()),
    _detail("l", ImageLocation.image_id, ImageLocation.store, ImageLocation.url),
)


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
