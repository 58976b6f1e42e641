"""GET /servers[/detail]: Nova's filters, sorting and paging over instance rows."""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

from sqlalchemy import Select, and_, inspect, or_, select

from kilocloud.compute import states
from kilocloud.compute.models import Instance, InstanceTag
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.validation import boolean
from kilocloud.core import pagination
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest

Version = tuple[int, int]
USER_FILTERS = (
    "reservation_id",
    "name",
    "status",
    "image",
    "flavor",
    "ip",
    "changes-since",
    "all_tenants",
)
LATER_USER_FILTERS = {
    (2, 5): ("ip6",),
    (2, 26): ("tags", "tags-any", "not-tags", "not-tags-any"),
    (2, 66): ("changes-before",),
    (2, 73): ("locked",),
    (2, 83): (
        "availability_zone",
        "config_drive",
        "key_name",
        "created_at",
        "launched_at",
        "terminated_at",
        "power_state",
        "task_state",
        "vm_state",
        "progress",
        "user_id",
    ),
    (2, 90): ("hostname",),
}
ADMIN_FILTERS = (
    "host",
    "node",
    "project_id",
    "tenant_id",
    "deleted",
    "soft_deleted",
    "uuid",
    "display_name",
    "display_description",
    "locked_by",
    "launch_index",
    "access_ip_v4",
    "access_ip_v6",
    "image_ref",
    "kernel_id",
    "ramdisk_id",
    "hostname",
    "root_device_name",
    "auto_disk_config",
    "description",
)
PAGING = ("limit", "marker", "sort_key", "sort_dir")
SORT_KEYS = (
    "access_ip_v4",
    "access_ip_v6",
    "auto_disk_config",
    "availability_zone",
    "config_drive",
    "created_at",
    "display_description",
    "display_name",
    "host",
    "hostname",
    "image_ref",
    "instance_type_id",
    "kernel_id",
    "key_name",
    "launch_index",
    "launched_at",
    "locked_by",
    "node",
    "power_state",
    "progress",
    "project_id",
    "ramdisk_id",
    "root_device_name",
    "task_state",
    "terminated_at",
    "updated_at",
    "user_id",
    "uuid",
    "vm_state",
)
COLUMNS = {
    "availability_zone": "availability_zone",
    "key_name": "key_name",
    "power_state": "power_state",
    "task_state": "task_state",
    "vm_state": "vm_state",
    "progress": "progress",
    "user_id": "user_id",
    "hostname": "hostname",
    "reservation_id": "reservation_id",
    "host": "host",
    "node": "node",
    "uuid": "uuid",
    "image": "image_ref",
    "image_ref": "image_ref",
    "locked": "locked",
    "config_drive": "config_drive",
}


@functools.cache
def row_columns() -> list[Any]:
    """Every column under its ORM attribute name: rows read like Instance objects, minus the
    ORM's cost (worked out on first use: inspecting the mapper at import configures them all)."""
    return [c.label(p.key) for p in inspect(Instance).column_attrs for c in p.columns]


def allowed_filters(version: Version, admin: bool) -> set[str]:
    """The filter keys a caller may use at `version`."""
    keys = set(USER_FILTERS)
    for since, names in LATER_USER_FILTERS.items():
        if version >= since:
            keys.update(names)
    return keys | set(ADMIN_FILTERS) if admin else keys


def _time(value: str, key: str) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(
            f"Invalid input for query parameters {key}. Value: {value}. "
            f"'{value}' is not a 'date-time'"
        ) from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed


class ServerQuery:
    """One list request, parsed: SQL conditions, Python-side regex filters, sort and page."""

    def __init__(
        self,
        deps: ComputeDeps,
        ctx: RequestContext,
        params: list[tuple[str, str]],
        version: Version,
    ) -> None:
        self.deps, self.ctx, self.version = deps, ctx, version
        self.admin = deps.allowed(ctx, "servers:allow_all_filters")
        known = allowed_filters(version, True) | set(PAGING) | {"detail"}
        mine = allowed_filters(version, self.admin)
        self.params: dict[str, list[str]] = {}
        for key, value in params:
            if key not in known:
                if version >= (2, 75):
                    raise BadRequest(
                        f"Additional properties are not allowed ('{key}' was unexpected)"
                    )
                continue
            if key in mine or key in PAGING:
                self.params.setdefault(key, []).append(value)

    def one(self, key: str) -> str | None:
        values = self.params.get(key)
        return values[-1] if values else None

    def statement(self) -> Select:
        """The SQL for the filters SQL can apply."""
        stmt = select(*row_columns())
        stmt = stmt.where(*self._scope(), *self._deleted(), *self._plain(), *self._status())
        stmt = stmt.where(*self._times(), *self._tags())
        return stmt

    def _scope(self) -> list[Any]:
        all_tenants = self.one("all_tenants")
        if all_tenants is not None and (all_tenants == "" or boolean(all_tenants)):
            self.deps.enforce(self.ctx, "servers:index:get_all_tenants")
            project = self.one("project_id") or self.one("tenant_id")
            return [Instance.project_id == project] if project else []
        return [Instance.project_id == self.ctx.project_id]

    def _deleted(self) -> list[Any]:
        if self.one("changes-since") or self.one("changes-before"):
            return []
        deleted = self.one("deleted")
        return [Instance.deleted.is_(bool(deleted is not None and boolean(deleted)))]

    def _plain(self) -> list[Any]:
        found = []
        for key, column in COLUMNS.items():
            value = self.one(key)
            if value is None:
                continue
            if key in ("locked", "config_drive"):
                found.append(getattr(Instance, column).is_(boolean(value)))
            elif key in ("power_state", "progress"):
                found.append(
                    getattr(Instance, column).in_(
                        [int(v) for v in self.params[key] if v.lstrip("-").isdigit()]
                    )
                )
            else:
                found.append(getattr(Instance, column).in_(self.params[key]))
        if (flavor := self.one("flavor")) is not None:
            found.append(Instance.flavor["id"].as_string() == flavor)
        return found

    def _status(self) -> list[Any]:
        wanted = self.params.get("status")
        if not wanted:
            return []
        conditions = []
        for name in wanted:
            mapped = states.states_of(name)
            if mapped is None:
                if self.version >= (2, 38):
                    raise BadRequest("Invalid status value")
                return [Instance.id.is_(None)]
            vm, tasks = mapped
            conditions.append(
                and_(Instance.vm_state.in_(vm), Instance.task_state.in_(tasks) if tasks else True)
            )
        return [or_(*conditions)]

    def _times(self) -> list[Any]:
        found = []
        since = self.one("changes-since")
        before = self.one("changes-before")
        if since:
            found.append(Instance.updated_at >= _time(since, "changes-since"))
        if before:
            found.append(Instance.updated_at <= _time(before, "changes-before"))
        if since and before and _time(before, "x") < _time(since, "x"):
            raise BadRequest(
                "The value of changes-since must be less than or equal to changes-before."
            )
        return found

    def _tags(self) -> list[Any]:
        found = []
        tagged = select(InstanceTag.instance_uuid)
        for tag in (self.one("tags") or "").split(",") if self.one("tags") else []:
            found.append(Instance.uuid.in_(tagged.where(InstanceTag.tag == tag)))
        if any_tags := self.one("tags-any"):
            found.append(Instance.uuid.in_(tagged.where(InstanceTag.tag.in_(any_tags.split(",")))))
        if not_tags := self.one("not-tags"):
            names = not_tags.split(",")
            having = [Instance.uuid.in_(tagged.where(InstanceTag.tag == t)) for t in names]
            found.append(~and_(*having))
        if not_any := self.one("not-tags-any"):
            found.append(
                Instance.uuid.not_in(tagged.where(InstanceTag.tag.in_(not_any.split(","))))
            )
        return found

    def sort(self) -> list[pagination.SortKey]:
        """(column, direction) pairs, created_at desc by default, uuid last."""
        keys = self.params.get("sort_key") or ["created_at"]
        dirs = self.params.get("sort_dir") or []
        sort = []
        for index, key in enumerate(keys):
            direction = dirs[index] if index < len(dirs) else (dirs[0] if dirs else "desc")
            if key not in SORT_KEYS and not (key == "locked" and self.version >= (2, 73)):
                if self.version >= (2, 75):
                    raise BadRequest(f"Invalid input for query parameters sort_key. Value: {key}.")
                continue
            if key in ("host", "node") and not self.admin:
                self.deps.enforce(self.ctx, "servers:allow_all_filters")
            column = getattr(Instance, "locked" if key == "locked" else key)
            sort.append((column, pagination.check_direction(direction)))
        return [
            *(sort or [(Instance.created_at, "desc")]),
            (Instance.id, sort[0][1] if sort else "desc"),
        ]

    def matches(self, row: Instance) -> bool:
        """The regex filters SQL cannot apply (name, ip, ip6)."""
        if (name := self.one("name")) and not _search(name, row.display_name):
            return False
        for key, version in (("ip", 4), ("ip6", 6)):
            if pattern := self.one(key):
                addrs = [
                    a["addr"]
                    for nets in (row.addresses or {}).values()
                    for a in nets
                    if a.get("version") == version
                ]
                if not any(_search(pattern, a) for a in addrs):
                    return False
        return True

    def needs_python(self) -> bool:
        return any(self.one(k) for k in ("name", "ip", "ip6"))


def _search(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return pattern in text


async def list_servers(
    deps: ComputeDeps,
    ctx: RequestContext,
    params: list[tuple[str, str]],
    version: Version,
    limit: int,
    rule: str,
) -> list[Instance]:
    """The page of servers `params` asks for."""
    deps.enforce(ctx, f"servers:{rule}")
    query = ServerQuery(deps, ctx, params, version)
    sort = query.sort()
    stmt = query.statement().order_by(*pagination.order_by(sort))
    async with deps.db.connect() as conn:
        if marker := query.one("marker"):
            by_marker = select(*row_columns()).where(Instance.uuid == marker)
            found = (await conn.execute(by_marker)).first()
            if found is None:
                raise BadRequest(f"marker [{marker}] not found")
            values = [getattr(found, column.key) for column, _ in sort]
            stmt = stmt.where(pagination.after(sort, values))
        if not query.needs_python():
            stmt = stmt.limit(limit)
        rows = list((await conn.execute(stmt)).all())
    if query.needs_python():
        rows = [r for r in rows if query.matches(r)][:limit]
    return rows
