"""limit, marker, sort_key and sort_dir on metadef lists, read as Glance reads them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from oslo_config import cfg
from sqlalchemy import Select, and_, or_

from kilocloud.core.errors import BadRequest


@dataclass(frozen=True)
class Page:
    """Which slice of a list was asked for."""

    limit: int | None
    marker: str | None
    sort_key: str
    sort_dir: str


def parse(params: dict[str, str], conf: cfg.ConfigOpts | None, keys: tuple[str, ...]) -> Page:
    """The page `params` ask for, sorted by one of `keys` (column names).

    With `conf`, a missing limit means the configured default page size.
    """
    sort_dir = params.get("sort_dir", "desc")
    if sort_dir not in ("asc", "desc"):
        raise BadRequest(f"Invalid sort direction: {sort_dir}")
    sort_key = params.get("sort_key", "created_at")
    if sort_key not in keys:
        raise BadRequest(f"Invalid sort key: {sort_key}; use one of {', '.join(keys)}.")
    return Page(_limit(params.get("limit"), conf), params.get("marker") or None, sort_key, sort_dir)


def _limit(raw: str | None, conf: cfg.ConfigOpts | None) -> int | None:
    if raw is None:
        return min(conf.limit_param_default, conf.api_limit_max) if conf else None
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest("limit param must be an integer") from None
    if limit < 0:
        raise BadRequest("limit param must be positive")
    return min(limit, conf.api_limit_max) if conf else limit


Finder = Callable[[str], Awaitable[Any]]


async def apply(query: Select, model: Any, page: Page, marker_row: Finder) -> Select:
    """`query` sorted as `page` says (id breaking ties) and started after the marker row."""
    key = getattr(model, page.sort_key)
    desc = page.sort_dir == "desc"
    if page.marker is not None:
        row = await marker_row(page.marker)
        value = getattr(row, key.key)
        later = key < value if desc else key > value
        tie = model.id < row.id if desc else model.id > row.id
        query = query.where(or_(later, and_(key == value, tie)))
    order = [key.desc(), model.id.desc()] if desc else [key.asc(), model.id.asc()]
    query = query.order_by(*order)
    return query.limit(page.limit) if page.limit is not None else query
