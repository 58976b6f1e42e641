"""Flavors: list, show, create, update, delete, extra specs and private access lists."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.compute.models import Flavor, FlavorExtraSpec, FlavorProject
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.validation import boolean
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, Conflict, NotFound

DEFAULTS = (  # Nova's classic m1.* set: (id, name, ram MB, vcpus, disk GB)
    ("1", "m1.tiny", 512, 1, 1),
    ("2", "m1.small", 2048, 1, 20),
    ("3", "m1.medium", 4096, 2, 40),
    ("4", "m1.large", 8192, 4, 80),
    ("5", "m1.xlarge", 16384, 8, 160),
)
SORT_KEYS = (
    "created_at",
    "description",
    "disabled",
    "ephemeral_gb",
    "flavorid",
    "id",
    "is_public",
    "memory_mb",
    "name",
    "root_gb",
    "rxtx_factor",
    "swap",
    "updated_at",
    "vcpu_weight",
    "vcpus",
)


@dataclass
class FlavorRecord:
    """A flavor with its extra specs."""

    row: Flavor
    extra_specs: dict[str, str] = field(default_factory=dict)


def not_found(flavor_id: str) -> NotFound:
    return NotFound(f"Flavor {flavor_id} could not be found.")


class Flavors:
    """The flavor catalogue."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    async def list(self, ctx: RequestContext, query: dict[str, Any]) -> list[FlavorRecord]:
        """Flavors `ctx` may see, filtered, sorted and paged as `query` says."""
        stmt = select(Flavor)
        public = query.get("is_public")
        if not ctx.is_admin:
            stmt = stmt.where(or_(Flavor.is_public.is_(True), Flavor.id.in_(_access(ctx))))
        elif public is not None and public.lower() != "none":
            stmt = stmt.where(Flavor.is_public.is_(boolean(public)))
        for key, column in (("minRam", Flavor.memory_mb), ("minDisk", Flavor.root_gb)):
            if key in query:
                stmt = stmt.where(column >= _int(query[key], key))
        if query.get("name"):
            stmt = stmt.where(Flavor.name == query["name"])
        async with self.deps.db.read() as session:
            rows = list(await session.scalars(stmt.order_by(*_order(query))))
            rows = _page(rows, query)
            return [FlavorRecord(r, await _specs(session, r.id)) for r in rows]

    async def get(self, ctx: RequestContext, flavor_id: str) -> FlavorRecord:
        """The flavor, if `ctx` may see it."""
        async with self.deps.db.read() as session:
            row = await _visible(session, ctx, flavor_id)
            return FlavorRecord(row, await _specs(session, row.id))

    async def create(self, ctx: RequestContext, body: dict[str, Any]) -> FlavorRecord:
        """A new flavor (admin); 409 when its name or id is taken."""
        self.deps.enforce(ctx, "os-flavor-manage:create")
        name = body["name"].strip()
        flavor_id = body.get("id") or str(uuid.uuid4())
        row = Flavor(
            flavorid=str(flavor_id),
            name=name,
            memory_mb=int(body["ram"]),
            vcpus=int(body["vcpus"]),
            root_gb=int(body["disk"]),
            ephemeral_gb=int(body.get("OS-FLV-EXT-DATA:ephemeral", 0)),
            swap=int(body.get("swap") or 0),
            rxtx_factor=float(body.get("rxtx_factor", 1.0)),
            is_public=boolean(body.get("os-flavor-access:is_public", True)),
            description=body.get("description"),
        )
        async with self.deps.db.write() as session:
            for column, value, what in (
                (Flavor.name, name, "name"),
                (Flavor.flavorid, row.flavorid, "ID"),
            ):
                if await session.scalar(select(Flavor.id).where(column == value)) is not None:
                    raise Conflict(f"Flavor with {what} {value} already exists.")
            session.add(row)
            try:
                await session.flush()
            except IntegrityError:
                raise Conflict(f"Flavor with name {name} already exists.") from None
        await self.deps.notify(ctx, "flavor.create", _payload(row))
        return FlavorRecord(row)

    async def update(
        self, ctx: RequestContext, flavor_id: str, description: str | None
    ) -> FlavorRecord:
        """Set the description (2.55)."""
        self.deps.enforce(ctx, "os-flavor-manage:update")
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            row.description, row.updated_at = description, utcnow()
            record = FlavorRecord(row, await _specs(session, row.id))
        await self.deps.notify(ctx, "flavor.update", _payload(row))
        return record

    async def delete(self, ctx: RequestContext, flavor_id: str) -> None:
        """Remove the flavor; servers keep their copy of it."""
        self.deps.enforce(ctx, "os-flavor-manage:delete")
        async with self.deps.db.write() as session:
            row = await _by_id(session, flavor_id)
            await session.execute(
                delete(FlavorExtraSpec).where(FlavorExtraSpec.flavor_id == row.id)
            )
            await session.execute(delete(FlavorProject).where(FlavorProject.flavor_id == row.id))
            await session.delete(row)
        await self.deps.notify(ctx, "flavor.delete", _payload(row))

    async def ensure_defaults(self) -> None:
        """Create the m1.* flavors when the catalogue has none of them yet."""
        async with self.deps.db.write() as session:
            if await session.scalar(select(Flavor.id).limit(1)) is not None:
                return
            for flavorid, name, ram, vcpus, disk in DEFAULTS:
                session.add(
                    Flavor(
                        flavorid=flavorid,
                        name=name,
                        memory_mb=ram,
                        vcpus=vcpus,
                        root_gb=disk,
                        ephemeral_gb=0,
                        swap=0,
                        rxtx_factor=1.0,
                        is_public=True,
                        disabled=False,
                    )
                )


def _access(ctx: RequestContext) -> Any:
    return select(FlavorProject.flavor_id).where(FlavorProject.project_id == ctx.project_id)


async def _by_id(session: AsyncSession, flavor_id: str) -> Flavor:
    row = await session.scalar(select(Flavor).where(Flavor.flavorid == flavor_id))
    if row is None:
        raise not_found(flavor_id)
    return row


async def _visible(session: AsyncSession, ctx: RequestContext, flavor_id: str) -> Flavor:
    """The flavor by id; a private one only for admins and projects on its access list."""
    row = await _by_id(session, flavor_id)
    if not row.is_public and not ctx.is_admin:
        granted = await session.scalar(
            select(FlavorProject.flavor_id).where(
                FlavorProject.flavor_id == row.id, FlavorProject.project_id == ctx.project_id
            )
        )
        if granted is None:
            raise not_found(flavor_id)
    return row


async def _specs(session: AsyncSession, flavor_pk: int) -> dict[str, str]:
    rows = await session.execute(
        select(FlavorExtraSpec.key, FlavorExtraSpec.value).where(
            FlavorExtraSpec.flavor_id == flavor_pk
        )
    )
    return dict(rows.all())


def _int(value: str, key: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"Invalid {key} filter [{value}]") from None
    if number < 0:
        raise BadRequest(f"Invalid {key} filter [{value}]")
    return number


def _order(query: dict[str, Any]) -> list[Any]:
    key = query.get("sort_key", "flavorid")
    direction = query.get("sort_dir", "asc")
    if key not in SORT_KEYS or key == "vcpu_weight":
        raise BadRequest(f"Invalid sort key: {key}" if key not in SORT_KEYS else "Invalid input")
    if direction not in ("asc", "desc"):
        raise BadRequest(f"Invalid sort direction: {direction}")
    column = getattr(Flavor, key)
    return [column.asc() if direction == "asc" else column.desc(), Flavor.id.asc()]


def _page(rows: list[Flavor], query: dict[str, Any]) -> list[Flavor]:
    if marker := query.get("marker"):
        ids = [r.flavorid for r in rows]
        if marker not in ids:
            raise BadRequest(f"marker [{marker}] not found")
        rows = rows[ids.index(marker) + 1 :]
    limit = query.get("limit")
    return rows if limit is None else rows[:limit]


def _payload(row: Flavor) -> dict[str, Any]:
    """A FlavorPayload as Nova's versioned notifications carry it."""
    data = {
        "flavorid": row.flavorid,
        "name": row.name,
        "memory_mb": row.memory_mb,
        "vcpus": row.vcpus,
        "root_gb": row.root_gb,
        "ephemeral_gb": row.ephemeral_gb,
        "swap": row.swap,
        "rxtx_factor": row.rxtx_factor,
        "is_public": row.is_public,
        "disabled": row.disabled,
        "description": row.description,
    }
    return {
        "nova_object.name": "FlavorPayload",
        "nova_object.namespace": "nova",
        "nova_object.version": "1.4",
        "nova_object.data": data,
    }
