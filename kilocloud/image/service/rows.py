"""Images as plain rows (no ORM): read for display (rows, then one query for their details),
and inserted when new.

Reads are most of the API's traffic; building ORM objects with three relationship loads per
image, or flushing them through the unit of work, cost several times more than the SQL itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    bindparam,
    delete,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.image.models import Image, ImageLocation, ImageProperty, ImageTag
from kilocloud.image.service import access
from kilocloud.image.service.records import COLUMNS, ImageRow

IMAGES = Image.__table__
ROW_COLUMNS = [IMAGES.c[name] for name in COLUMNS]  # ImageRow's field order
Reader = AsyncSession | Connection


_INSERTS = insert(IMAGES), insert(ImageProperty), insert(ImageTag)


async def add(conn: Connection, row: ImageRow) -> None:
    """Insert a new image with its properties and tags (plain inserts: no unit of work)."""
    image, properties, tags = _INSERTS
    await conn.execute(image, {name: getattr(row, name) for name in COLUMNS})
    if row.properties:
        values = [{"image_id": row.id, "name": k, "value": v} for k, v in row.properties.items()]
        await conn.execute(properties, values)
    if row.tags:
        await conn.execute(tags, [{"image_id": row.id, "value": tag} for tag in row.tags])


_REMOVE = delete(IMAGES).where(IMAGES.c.id == bindparam("image_id"), IMAGES.c.protected.is_(False))


async def remove(conn: Connection, image_id: str) -> bool:
    """Delete an unprotected image; the database's ON DELETE CASCADE takes its properties,
    tags, locations and members. False when it is protected (or gone) by now."""
    return (await conn.execute(_REMOVE, {"image_id": image_id})).rowcount == 1


_ROWS = select(*ROW_COLUMNS)


def rows_query() -> Select:
    """SELECT of the columns an ImageRow is built from (statements are immutable: share it)."""
    return _ROWS


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


async def fetch(db: Reader, ctx: RequestContext, image_id: str) -> ImageRow:
    """The image `ctx` may see, for display; 404 when missing or hidden from the caller."""
    query, params = _BY_ID, {"image_id": image_id}
    if not ctx.is_admin:
        query, params = _VISIBLE_BY_ID, {**params, "caller": ctx.project_id}
    conn = await _connection(db)
    row = (await conn.execute(query, params)).first()
    if row is None:
        raise access.not_found(image_id)
    image = ImageRow(*row)
    _fill({image_id: image}, (await conn.execute(_DETAILS_OF_ONE, {"id": image_id})).all())
    return image


async def fetch_many(
    db: Reader, query: Select, params: dict[str, Any] | None = None
) -> list[ImageRow]:
    """The ImageRows `query` (a rows_query with conditions) selects, in its order."""
    conn = await _connection(db)
    rows = [ImageRow(*row) for row in (await conn.execute(query, params)).all()]
    if rows:
        by_id = {row.id: row for row in rows}
        _fill(by_id, (await conn.execute(_DETAILS, {"ids": list(by_id)})).all())
    return rows


async def _connection(db: Reader) -> Connection:
    # Core statements: the ORM's execute path only costs
    return await db.connection() if isinstance(db, AsyncSession) else db


def _details(of: Callable[[Any], Any]) -> CompoundSelect:
    """(kind, image_id, first, second) of the properties, tags and locations of images `of`."""
    kinds = (
        ("p", ImageProperty.image_id, ImageProperty.name, ImageProperty.value),
        ("t", ImageTag.image_id, ImageTag.value, null()),
        ("l", ImageLocation.image_id, ImageLocation.store, ImageLocation.url),
    )
    return union_all(
        *(
            select(literal(kind), image_id, a, b).where(of(image_id))
            for kind, image_id, a, b in kinds
        )
    )


_DETAILS = _details(lambda image_id: image_id.in_(bindparam("ids", expanding=True)))
# one image: a plain parameter, which spares compiling the expanded IN list at each call
_DETAILS_OF_ONE = _details(lambda image_id: image_id == bindparam("id"))


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
