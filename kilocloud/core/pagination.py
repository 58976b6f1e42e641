"""Collection paging shared by every service: limit parsing, keyset markers, page links."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, literal, or_

from kilocloud.core.errors import BadRequest

# (column, "asc" | "desc"); the last key must be unique (an id) so that pages never overlap
SortKey = tuple[Any, str]
DIRECTIONS = ("asc", "desc")


def parse_limit(
    raw: str | None, default: int | None = None, maximum: int | None = None
) -> int | None:
    """The page size `raw` asks for, as OpenStack reads it ('+5' and ' 5' are 5), capped at
    `maximum`; `default` when absent; 400 when it is not a non-negative integer."""
    if raw is None:
        return default if maximum is None or default is None else min(default, maximum)
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest("limit param must be an integer") from None
    if limit < 0:
        raise BadRequest("limit param must be positive")
    return limit if maximum is None else min(limit, maximum)


def check_direction(direction: str) -> str:
    """`direction` when it is asc or desc; 400 otherwise."""
    if direction not in DIRECTIONS:
        raise BadRequest(f"Invalid sort direction: {direction}")
    return direction


def order_by(sort: Sequence[SortKey]) -> list[Any]:
    """ORDER BY clauses for `sort`."""
    return [column.asc() if d == "asc" else column.desc() for column, d in sort]


def after(sort: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement:
    """SQL condition: rows sorting strictly after the marker row, whose sort values are `values`."""
    # bound as literals of the column's type: SQLAlchemy refuses `<` and `>` with bare booleans
    marked = [literal(v, column.type) for (column, _), v in zip(sort, values, strict=True)]
    clauses = []
    for i, (column, direction) in enumerate(sort):
        equal = [c == m for (c, _), m in zip(sort[:i], marked, strict=False)]
        step = column > marked[i] if direction == "asc" else column < marked[i]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


def href(path: str, params: Iterable[tuple[str, str]], marker: str | None = None) -> str:
    """`path` with the caller's query `params`, starting after `marker` when given."""
    kept = [(k, v) for k, v in params if k != "marker"]
    if marker is not None:
        kept.append(("marker", marker))
    return path + (f"?{urlencode(kept)}" if kept else "")


def first_and_next(
    path: str, params: Iterable[tuple[str, str]], next_marker: str | None
) -> dict[str, str]:
    """Glance's page links: `first` always, `next` when there may be more."""
    params = list(params)
    links = {"first": href(path, params)}
    if next_marker:
        links["next"] = href(path, params, next_marker)
    return links


def next_marker(found: Sequence[Any], limit: int | None, key: str = "id") -> str | None:
    """The `key` of the last row when the page is full, so there may be more; else None."""
    return getattr(found[-1], key) if found and limit and len(found) == limit else None
