"""Neutron's list queries: filters (repeated keys OR'ed, tags), fields, sorting, paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select

from kilocloud.core.errors import APIError, BadRequest
from kilocloud.network.models import Tag
from kilocloud.network.schemas import Attr
from kilocloud.network.validators import Invalid

RESERVED = ("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse")
TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")
Special = Callable[[list[str]], ColumnElement]


@dataclass
class Page:
    """What a list request asked for, read from its query string."""

    where: list[ColumnElement] = field(default_factory=list)
    sort: list[tuple[Any, str]] = field(default_factory=list)
    limit: int | None = None
    marker: str | None = None
    reverse: bool = False
    fields: list[str] = field(default_factory=list)


def parse(
    model: type, attrs: dict[str, Attr], params: list[tuple[str, str]], special: dict[str, Special]
) -> Page:
    """The filters, order and page of a list request; 400 for what Neutron refuses."""
    page = Page(fields=[v for k, v in params if k == "fields"])
    values: dict[str, list[str]] = {}
    for key, value in params:
        if key not in RESERVED:
            values.setdefault(key, []).append(value)
    for key, given in values.items():
        page.where.append(_filter(model, attrs, special, key, given))
    page.sort = _sort(model, attrs, params)
    page.limit = _limit(params)
    page.marker = next((v for k, v in params if k == "marker"), None)
    page.reverse = next((v for k, v in params if k == "page_reverse"), "").lower() == "true"
    return page


def _filter(model: type, attrs: dict, special: dict, key: str, given: list[str]) -> ColumnElement:
    if key in TAG_FILTERS:
        return _tags(model, key, given)
    if key in special:
        return special[key](given)
    attr = attrs.get(key)
    column = getattr(model, (attr.column or key) if attr else key, None)
    if attr is None or not attr.filter or column is None:
        raise BadRequest(f"[{key}] is invalid attribute for filtering")
    try:
        converted = [attr.convert(v) if attr.convert else v for v in given]
    except Invalid as exc:
        raise BadRequest(f"Invalid input for {key}. Reason: {exc}.") from None
    return column.in_(converted)


def _tags(model: type, key: str, given: list[str]) -> ColumnElement:
    tags = [t for value in given for t in value.split(",") if t]
    tagged = select(Tag.resource_id).where(Tag.tag.in_(tags))
    if key in ("tags", "not-tags"):
        tagged = tagged.group_by(Tag.resource_id).having(func.count() == len(set(tags)))
    clause = model.id.in_(tagged)
    return ~clause if key.startswith("not-") else clause


def _sort(model: type, attrs: dict[str, Attr], params: list[tuple[str, str]]) -> list:
    keys = [v for k, v in params if k == "sort_key"]
    dirs = [v for k, v in params if k == "sort_dir"]
    if dirs and len(keys) != len(dirs):
        raise BadRequest("The number of sort_keys and sort_dirs must be same")
    sort = []
    for i, key in enumerate(keys):
        attr = attrs.get(key)
        column = getattr(model, (attr.column or key) if attr else key, None)
        if attr is None or not attr.sort or column is None:
            raise BadRequest(f"{key} is invalid attribute for sort_key")
        direction = dirs[i] if dirs else "asc"
        if direction not in ("asc", "desc"):
            raise BadRequest(
                f"{direction} is invalid value for sort_dir, valid value is 'asc' and 'desc'"
            )
        sort.append((column, direction))
    if not any(c is model.id for c, _ in sort):
        sort.append((model.id, "asc"))
    return sort


def _limit(params: list[tuple[str, str]]) -> int | None:
    raw = next((v for k, v in params if k == "limit"), None)
    if raw is None:
        return None
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"Limit must be an integer 0 or greater and not '{raw}'") from None
    if limit < 0:
        raise BadRequest(f"Limit must be an integer 0 or greater and not '{raw}'")
    return limit or None


async def query(
    conn: Any, model: type, page: Page, scope: ColumnElement | None, missing: APIError
) -> Select:
    """The SELECT for the page: filters, caller's scope, order and keyset start."""
    stmt = select(model).where(*page.where)
    if scope is not None:
        stmt = stmt.where(scope)
    sort = [(c, _flip(d) if page.reverse else d) for c, d in page.sort]
    if page.marker is not None:
        marked = (
            await conn.execute(select(*(c for c, _ in sort)).where(model.id == page.marker))
        ).first()
        if marked is None:
            raise missing
        stmt = stmt.where(_after(sort, list(marked)))
    stmt = stmt.order_by(*(c.asc() if d == "asc" else c.desc() for c, d in sort))
    return stmt.limit(page.limit) if page.limit else stmt


def _flip(direction: str) -> str:
    return "desc" if direction == "asc" else "asc"


def _after(sort: list[tuple[Any, str]], values: list[Any]) -> ColumnElement:
    marked = [literal(v, c.type) for (c, _), v in zip(sort, values, strict=True)]
    clauses = []
    for i, (column, direction) in enumerate(sort):
        equal = [c == m for (c, _), m in zip(sort[:i], marked, strict=False)]
        step = column > marked[i] if direction == "asc" else column < marked[i]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


def links(base: str, params: list[tuple[str, str]], items: list[dict], page: Page) -> list[dict]:
    """Neutron's next/previous links for a page of `items`."""
    if not page.limit or not items:
        return []
    kept = [(k, v) for k, v in params if k not in ("marker", "page_reverse")]
    out = []
    if not (len(items) < page.limit and not page.reverse):
        query = urlencode([*kept, ("marker", items[-1]["id"])])
        out.append({"rel": "next", "href": f"{base}?{query}"})
    if not (len(items) < page.limit and page.reverse):
        query = urlencode([*kept, ("marker", items[0]["id"]), ("page_reverse", "True")])
        out.append({"rel": "previous", "href": f"{base}?{query}"})
    return out


def select_fields(item: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """Only the asked-for keys (unknown names ignored), or everything when none asked."""
    return {k: v for k, v in item.items() if k in fields} if fields else item
