"""GET /v2/images query parameters -> SQL: filters, visibility, sorting and marker paging."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from oslo_config import cfg
from oslo_utils import timeutils
from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, or_, true

from kilocloud.core import pagination
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest
from kilocloud.image.models import Image, ImageProperty, ImageTag
from kilocloud.image.service.access import membership
from kilocloud.image.service.rows import rows_query

SORT_KEYS = {
    "name": func.coalesce(Image.name, ""),
    "status": Image.status,
    "container_format": func.coalesce(Image.container_format, ""),
    "disk_format": func.coalesce(Image.disk_format, ""),
    "size": func.coalesce(Image.size, -1),
    "virtual_size": func.coalesce(Image.virtual_size, -1),
    "id": Image.id,
    "created_at": Image.created_at,
    "updated_at": Image.updated_at,
    "min_disk": Image.min_disk,
    "min_ram": Image.min_ram,
    "owner": func.coalesce(Image.owner, ""),
    "visibility": Image.visibility,
    "protected": Image.protected,
    "os_hidden": Image.os_hidden,
}
VISIBILITIES = ("public", "private", "shared", "community", "all")
MEMBER_STATUSES = ("accepted", "pending", "rejected", "all")
TIME_OPS = {"gt", "gte", "eq", "neq", "lt", "lte"}
OPERATOR_FILTERS = {"id", "name", "status", "container_format", "disk_format"}
PAGING = {"limit", "marker", "sort_key", "sort_dir", "sort"}
SCOPE_PARAMS = {"visibility", "member_status", "os_hidden"}
MAX_FILTERS = 256  # each is a nested SQL condition, and SQLite refuses trees over 1,000 deep
BIGINT, INT = 2**63 - 1, 2**31 - 1
COLUMN_MAX = {"size_min": BIGINT, "size_max": BIGINT, "min_ram": INT, "min_disk": INT}


@dataclass
class ListQuery:
    """A parsed image list request."""

    limit: int
    marker: str | None = None
    sort: list[tuple[str, str]] = field(default_factory=list)
    scope: tuple = ()  # the arguments of _scoped: what the caller may see, hidden or not
    filters: list[Any] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def statement(self) -> Select:
        """The page's SELECT, with no marker condition; its parameters are `params`."""
        stmt = _scoped(*self.scope, tuple(self.sort))
        return stmt.where(*self.filters) if self.filters else stmt


def parse(params: list[tuple[str, str]], ctx: RequestContext, conf: cfg.ConfigOpts) -> ListQuery:
    """The ListQuery `params` describe; 400 for any malformed value."""
    single = dict(params)
    query = ListQuery(
        limit=pagination.parse_limit(
            single.get("limit"), conf.limit_param_default, conf.api_limit_max
        ),
        marker=single.get("marker"),
    )
    query.params = {
        "caller": ctx.project_id,
        "member_status": single.get("member_status") or "accepted",
        "limit": query.limit,
    }
    query.sort = _sort(params)
    hidden = _bool(single.get("os_hidden", "false"), "os_hidden")
    query.scope = (*_visibility(single, ctx), hidden)
    filters = [(k, v) for k, v in params if k not in PAGING and k not in SCOPE_PARAMS]
    if len(filters) > MAX_FILTERS:
        raise BadRequest(f"Too many filters: at most {MAX_FILTERS} may be given.")
    if "changes-since" in single:
        raise BadRequest('The "changes-since" filter is no longer available on v2.')
    query.filters = [_filter(key, value) for key, value in filters]
    return query


def page_sizes(conf: cfg.ConfigOpts) -> tuple[int, int]:
    """The default and the largest page size of image API lists."""
    return conf.limit_param_default, conf.api_limit_max


def _bool(raw: str, name: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise BadRequest(f"Invalid value '{raw}' for {name}: a boolean is expected.")


def _sort(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    keys = [v.strip() for k, v in params if k == "sort_key"]
    dirs = [v.strip() for k, v in params if k == "sort_dir"]
    combined = [v for k, v in params if k == "sort"]
    if combined and (keys or dirs):
        raise BadRequest("The 'sort' parameter cannot be combined with sort_key or sort_dir.")
    pairs: list[tuple[str, str]] = []
    if combined:
        for item in ",".join(combined).split(","):
            key, _, direction = item.partition(":")
            pairs.append((key.strip(), direction.strip() or "desc"))
    else:
        if len(dirs) > 1 and len(dirs) != len(keys):
            raise BadRequest("Number of sort dirs does not match the number of sort keys")
        for i, key in enumerate(keys):
            pairs.append((key, dirs[i] if len(dirs) > 1 else (dirs[0] if dirs else "desc")))
        if not keys and dirs:
            pairs.append(("created_at", dirs[0]))
    for key, direction in pairs:
        if key not in SORT_KEYS:
            raise BadRequest(f"Invalid sort key: {key}.")
        pagination.check_direction(direction)
    pairs = pairs or [("created_at", "desc")]
    if "id" not in {k for k, _ in pairs}:
        pairs.append(("id", pairs[-1][1]))
    return pairs


def _visibility(single: dict[str, str], ctx: RequestContext) -> tuple[str | None, bool, bool]:
    """The arguments of _visible_as for this request."""
    visibility = single.get("visibility")
    status = single.get("member_status", "accepted")
    if visibility is not None and visibility not in VISIBILITIES:
        raise BadRequest(f"Invalid visibility value: {visibility}")
    if status not in MEMBER_STATUSES:
        raise BadRequest(f"Invalid status value: {status}")
    return visibility, status == "all", ctx.is_admin


# bound per request: the caller's project, the member_status asked for, and the page size
_CALLER = bindparam("caller")
_MEMBER_STATUS = bindparam("member_status")
_LIMIT = bindparam("limit")


@functools.cache
def _scoped(
    visibility: str | None,
    any_status: bool,
    admin: bool,
    hidden: bool,
    sort: tuple[tuple[str, str], ...],
) -> Select:
    """The SELECT of one shape of request, built once: building it cost more than running it."""
    visible = _visible_as(visibility, any_status, admin)
    stmt = rows_query().where(visible, Image.os_hidden == hidden)
    return stmt.order_by(*pagination.order_by(sort_keys(list(sort)))).limit(_LIMIT)


@functools.cache
def _visible_as(visibility: str | None, any_status: bool, admin: bool) -> Any:
    """The visibility condition of one shape of request, built once with bound parameters.

    An admin sees every image whatever its membership, but as in Glance other projects'
    community images only when asking for visibility community or all.
    """
    if admin and visibility is None:
        base = or_(Image.visibility != "community", Image.owner == _CALLER)
    elif admin:
        base = true()
    else:
        owned = Image.owner == _CALLER
        shared = and_(
            Image.visibility == "shared",
            membership(_CALLER, None if any_status else _MEMBER_STATUS),
        )
        by_visibility = {
            "public": Image.visibility == "public",
            "community": Image.visibility == "community",
            "private": owned,
            "shared": or_(owned, shared),
        }
        if visibility in by_visibility:  # SQL conditions have no truth value: no `or` here
            base = by_visibility[visibility]
        else:
            base = or_(
                owned,
                Image.visibility == "public",
                shared,
                *([Image.visibility == "community"] if visibility == "all" else []),
            )
    if visibility in (None, "all"):
        return base
    return and_(base, Image.visibility == visibility)


def _filter(key: str, value: str) -> ColumnElement:
    if key in ("created_at", "updated_at"):
        return _time_filter(getattr(Image, key), key, value)
    if key in ("size_min", "size_max"):
        size = _whole_number(key, value)
        return Image.size >= size if key == "size_min" else Image.size <= size
    if key == "protected":
        if value not in ("true", "false"):
            raise BadRequest(f"Invalid value '{value}' for 'protected' filter: true or false.")
        return Image.protected == (value == "true")
    if key == "tag":
        return exists().where(ImageTag.image_id == Image.id, ImageTag.value == value.strip())
    if key in OPERATOR_FILTERS:
        return _operator_filter(getattr(Image, key), value)
    if key in ("owner", "min_ram", "min_disk", "checksum", "os_hash_value"):
        column = getattr(Image, key)
        numeric = key in ("min_ram", "min_disk")
        if value.startswith("in:"):
            values = _split_in(value[3:])
            return column.in_([_whole_number(key, v) for v in values] if numeric else values)
        return column == (_whole_number(key, value) if numeric else value)
    cond = and_(ImageProperty.image_id == Image.id, ImageProperty.name == key)
    if value.startswith("in:"):
        return exists().where(cond, ImageProperty.value.in_(_split_in(value[3:])))
    return exists().where(cond, ImageProperty.value == value)


def _operator_filter(column: Any, value: str) -> ColumnElement:
    """`op:value` as Glance reads it for names, ids, statuses and formats: `in:` or `eq:`."""
    operator, sep, operand = value.partition(":")
    if not sep or _is_time(value):
        return column == value
    if operator == "in":
        return column.in_(_split_in(operand))
    if operator == "eq":
        return column == operand
    raise BadRequest(f"Unable to filter by unknown operator '{operator}'.")


def _is_time(value: str) -> bool:
    try:
        timeutils.parse_isotime(value)
    except ValueError:
        return False
    return True


def _whole_number(key: str, value: str) -> int:
    """`value` as an int, as Glance reads it but in ASCII digits only, capped at the column's."""
    try:
        if not value.isascii():
            raise ValueError(value)
        number = int(value)
    except ValueError:
        raise BadRequest(f"Invalid value for {key}: {value}") from None
    return max(-COLUMN_MAX[key], min(number, COLUMN_MAX[key]))


def _split_in(raw: str) -> list[str]:
    values = [v.strip().strip('"') for v in raw.split(",")]
    if not all(values):
        raise BadRequest("Invalid 'in:' filter: empty value.")
    return values


def _time_filter(column: Any, key: str, value: str) -> ColumnElement:
    """Compare with second precision, the precision timestamps are shown with."""
    op, sep, stamp = value.partition(":")
    if not sep or op not in TIME_OPS:
        op, stamp = "eq", value
    try:
        start = timeutils.normalize_time(timeutils.parse_isotime(stamp))
    except ValueError:
        raise BadRequest(f"Invalid timestamp for {key}: {stamp}") from None
    step = {"microseconds": 1} if start.microsecond else {"seconds": 1}
    end = start + datetime.timedelta(**step)
    return {
        "gt": column >= end,
        "gte": column >= start,
        "eq": and_(column >= start, column < end),
        "neq": or_(column < start, column >= end),
        "lt": column < start,
        "lte": column < end,
    }[op]


def sort_keys(sort: list[tuple[str, str]]) -> list[pagination.SortKey]:
    """The columns and directions `sort` names."""
    return [(SORT_KEYS[k], d) for k, d in sort]
