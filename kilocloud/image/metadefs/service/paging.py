"""limit, marker, sort_key and sort_dir on metadef lists, read as Glance reads them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from oslo_config import cfg
from sqlalchemy import Select

from kilocloud.core import pagination
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
    sort_dir = pagination.check_direction(params.get("sort_dir", "desc"))
    sort_key = params.get("sort_key", "created_at")
    if sort_key not in keys:
        raise BadRequest(f"Invalid sort key: {sort_key}; use one of {', '.join(keys)}.")
    sizes = (conf.limit_param_default, conf.api_limit_max) if conf else ()
    limit = pagination.parse_limit(params.get("limit"), *sizes)
    return Page(limit, params.get("marker") or None, sort_key, sort_dir)


Finder = Callable[[str], Awaitable[Any]]


async def apply(query: Select, model: Any, page: Page, marker_row: Finder) -> Select:
    """`query` sorted as `page` says (id breaking ties) and started after the marker row."""
    sort = [(getattr(model, page.sort_key), page.sort_dir), (model.id, page.sort_dir)]
    if page.marker is not None:
        row = await marker_row(page.marker)
        query = query.where(pagination.after(sort, [getattr(row, page.sort_key), row.id]))
    query = query.order_by(*pagination.order_by(sort))
    return query.limit(page.limit) if page.limit is not None else query
