"""Subnet pools and address scopes; subnets take their CIDR from a pool's free prefix space."""

from __future__ import annotations

import ipaddress
import uuid
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, or_, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.network import errors, schemas
from kilocloud.network.models import AddressScope, Subnet, SubnetPool, Tag
from kilocloud.network.service import body, records
from kilocloud.network.service.collection import Collection, privileged

BOUNDS = {4: (8, 32), 6: (64, 128)}  # Neutron's default min and max prefix lengths


class AddressScopes(Collection):
    kind, model, attrs = "address_scope", AddressScope, schemas.ADDRESS_SCOPE
    not_found = errors.AddressScopeNotFound

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        return (
            None
            if privileged(ctx)
            else or_(AddressScope.project_id == ctx.project_id, AddressScope.shared)
        )

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "id": r.id,
                "name": r.name,
                "ip_version": r.ip_version,
                "shared": r.shared,
                **records.standard(r),
            }
            for r in rows
        ]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /address-scopes."""
        given = body.unwrap(data, "address_scope")
        values = body.for_create(ctx, given, self.attrs)
        self.access.enforce_attrs(ctx, "create", body.given(given), _owner(values))
        scope_id = str(uuid.uuid4())
        async with self.deps.db.transaction() as conn:
            row = {
                k: values[k] for k in ("project_id", "name", "description", "ip_version", "shared")
            }
            await conn.execute(insert(AddressScope).values(id=scope_id, **row))
            item = await self.item(conn, scope_id)
        await self.deps.notify(ctx, "address_scope.create.end", {"address_scope": item})
        return self.present(ctx, item, [])

    async def update(
        self, ctx: RequestContext, scope_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /address-scopes/{id}."""
        changes = body.for_update(body.unwrap(data, "address_scope"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, scope_id, "update")
            self.access.enforce_attrs(ctx, "update", changes, self.target(current))
            records.check_revision(if_match, current["revision_number"])
            await records.bump(conn, AddressScope, scope_id, **changes)
            item = await self.item(conn, scope_id)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, scope_id: str, if_match: int | None) -> None:
        """DELETE /address-scopes/{id}: 409 while a subnet pool is in it."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, scope_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            if await conn.scalar(
                select(func.count()).where(SubnetPool.address_scope_id == scope_id)
            ):
                raise errors.AddressScopeInUse(id=scope_id)
            await conn.execute(delete(AddressScope).where(AddressScope.id == scope_id))


class SubnetPools(Collection):
    kind, model, attrs = "subnetpool", SubnetPool, schemas.SUBNETPOOL
    not_found = errors.SubnetPoolNotFound

    def __init__(self, deps: Any, scopes: AddressScopes) -> None:
        super().__init__(deps)
        self.scopes = scopes

    def scope(self, ctx: RequestContext) -> ColumnElement | None:
        return (
            None
            if privileged(ctx)
            else or_(SubnetPool.project_id == ctx.project_id, SubnetPool.shared)
        )

    async def views(self, conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
        tags = await records.tags_of(conn, [r.id for r in rows])
        return [_view(r, tags[r.id]) for r in rows]

    async def create(self, ctx: RequestContext, data: Any) -> dict[str, Any]:
        """POST /subnetpools."""
        given = body.unwrap(data, "subnetpool")
        values = body.for_create(ctx, given, self.attrs)
        self.access.enforce_attrs(ctx, "create", body.given(given), _owner(values))
        version, prefixes = _prefixes(values["prefixes"])
        low, high, default = _bounds(version, values)
        pool_id = str(uuid.uuid4())
        async with self.deps.db.transaction() as conn:
            await self._check_scope(ctx, conn, values["address_scope_id"], version)
            row = {
                k: values[k]
                for k in (
                    "project_id",
                    "name",
                    "description",
                    "shared",
                    "is_default",
                    "default_quota",
                    "address_scope_id",
                )
            }
            await conn.execute(
                insert(SubnetPool).values(
                    id=pool_id, ip_version=version, prefixes=prefixes, min_prefixlen=low,
                    max_prefixlen=high, default_prefixlen=default, **row,
                )
            )  # fmt: skip
            item = await self.item(conn, pool_id)
        await self.deps.notify(ctx, "subnetpool.create.end", {"subnetpool": item})
        return self.present(ctx, item, [])

    async def _check_scope(
        self, ctx: RequestContext, conn: Connection, scope_id: str | None, version: int
    ) -> None:
        if scope_id is None:
            return
        found = await self.scopes.visible_item(ctx, conn, scope_id)
        if found["ip_version"] != version:
            raise errors.InvalidInput(
                error_message=f"Illegal subnetpool association: subnetpool cannot be associated "
                f"with address scope {scope_id} of another IP version"
            )

    async def update(
        self, ctx: RequestContext, pool_id: str, data: Any, if_match: int | None
    ) -> dict:
        """PUT /subnetpools/{id}: prefixes may only grow."""
        changes = body.for_update(body.unwrap(data, "subnetpool"), self.attrs)
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, pool_id, "update")
            self.access.enforce_attrs(ctx, "update", changes, self.target(current))
            records.check_revision(if_match, current["revision_number"])
            version = current["ip_version"]
            if "prefixes" in changes:
                changes["prefixes"] = _grown(current["prefixes"], changes["prefixes"], version)
            merged = {
                k: (int(current[k]) if k.endswith("prefixlen") else current[k]) for k in current
            }
            low, high, default = _bounds(version, {**merged, **changes})
            changes.update(min_prefixlen=low, max_prefixlen=high, default_prefixlen=default)
            if "address_scope_id" in changes:
                await self._check_scope(ctx, conn, changes["address_scope_id"], version)
            await records.bump(conn, SubnetPool, pool_id, **changes)
            item = await self.item(conn, pool_id)
        return self.present(ctx, item, [])

    async def delete(self, ctx: RequestContext, pool_id: str, if_match: int | None) -> None:
        """DELETE /subnetpools/{id}: 409 while subnets use it."""
        async with self.deps.db.transaction() as conn:
            current = await self.for_change(ctx, conn, pool_id, "delete")
            records.check_revision(if_match, current["revision_number"])
            if await conn.scalar(select(func.count()).where(Subnet.subnetpool_id == pool_id)):
                raise errors.SubnetPoolInUse(id=pool_id)
            await conn.execute(delete(Tag).where(Tag.resource_id == pool_id))
            await conn.execute(delete(SubnetPool).where(SubnetPool.id == pool_id))

    async def allocate(self, ctx: RequestContext, conn: Connection, values: dict) -> None:
        """Fill in a new subnet's CIDR (and check a given one) from its pool."""
        pool = await self._pool_for(ctx, conn, values)
        if pool is None:
            if values["cidr"] is None:
                raise errors.InvalidInput(
                    error_message="A cidr must be specified in the absence of a subnet pool"
                )
            return
        values["subnetpool_id"] = pool["id"]
        used = [
            ipaddress.ip_network(c)
            for c in (
                await conn.execute(select(Subnet.cidr).where(Subnet.subnetpool_id == pool["id"]))
            ).scalars()
        ]
        values["cidr"] = _carve(pool, values, used)

    async def _pool_for(self, ctx: RequestContext, conn: Connection, values: dict) -> dict | None:
        if values["subnetpool_id"]:
            return await self.visible_item(ctx, conn, values["subnetpool_id"])
        if not values["use_default_subnetpool"]:
            return None
        found = (
            await conn.execute(
                select(SubnetPool).where(
                    SubnetPool.is_default, SubnetPool.ip_version == values["ip_version"]
                )
            )
        ).first()
        if found is None:
            raise errors.BadResourceRequest(
                resource="subnets",
                msg=f"No default subnetpool found for IPv{values['ip_version']}",
            )
        return (await self.views(conn, [found]))[0]


def _carve(pool: dict, values: dict, used: list[Any]) -> str:
    low, high = int(pool["min_prefixlen"]), int(pool["max_prefixlen"])
    length = (
        values["prefixlen"] if values["prefixlen"] is not None else int(pool["default_prefixlen"])
    )
    if values["cidr"] is not None:
        wanted = ipaddress.ip_network(values["cidr"])
        if not any(wanted.subnet_of(ipaddress.ip_network(p)) for p in pool["prefixes"]):
            raise errors.SubnetAllocationError(
                reason=f"Cidr {wanted} not in subnetpool {pool['id']}"
            )
        if any(wanted.overlaps(u) for u in used):
            raise errors.SubnetAllocationError(
                reason=f"Cidr {wanted} overlaps another subnet of the pool"
            )
        return str(wanted)
    if not low <= length <= high:
        raise errors.IllegalSubnetPoolPrefixBounds(
            prefix_type="prefixlen", prefixlen=length,
            base_prefix_type="min_prefixlen" if length < low else "max_prefixlen",
            base_prefixlen=low if length < low else high,
        )  # fmt: skip
    for prefix in pool["prefixes"]:
        net = ipaddress.ip_network(prefix)
        if net.prefixlen > length:
            continue
        for candidate in net.subnets(new_prefix=length):
            if not any(candidate.overlaps(u) for u in used):
                return str(candidate)
    raise errors.SubnetAllocationError(
        reason=f"Insufficient prefix space to allocate subnet size /{length}"
    )


def _prefixes(given: list[str]) -> tuple[int, list[str]]:
    nets = [ipaddress.ip_network(p) for p in given]
    versions = {n.version for n in nets}
    if len(versions) != 1:
        raise errors.InvalidInput(
            error_message="Illegal subnetpool prefixes: mixed or missing IP versions"
        )
    version = versions.pop()
    merged = ipaddress.collapse_addresses(nets)  # type: ignore[arg-type]
    return version, [str(n) for n in merged]


def _grown(current: list[str], given: list[str], version: int) -> list[str]:
    new_version, prefixes = _prefixes(given)
    nets = [ipaddress.ip_network(p) for p in prefixes]
    if new_version != version or not all(
        any(ipaddress.ip_network(old).subnet_of(n) for n in nets) for old in current
    ):
        raise errors.InvalidInput(
            error_message="Illegal update to prefixes: existing prefixes may not be removed"
        )
    return prefixes


def _bounds(version: int, values: dict) -> tuple[int, int, int]:
    low = values.get("min_prefixlen")
    high = values.get("max_prefixlen")
    low = BOUNDS[version][0] if low is None else low
    high = BOUNDS[version][1] if high is None else high
    default = values.get("default_prefixlen")
    default = low if default is None else default
    if not (0 <= low <= default <= high <= BOUNDS[version][1]):
        raise errors.IllegalSubnetPoolPrefixBounds(
            prefix_type="default_prefixlen", prefixlen=default,
            base_prefix_type="min_prefixlen", base_prefixlen=low,
        )  # fmt: skip
    return low, high, default


def _owner(values: dict) -> dict:
    return {
        "project_id": values["project_id"],
        "tenant_id": values["project_id"],
        "shared": values.get("shared", False),
    }


def _view(row: Any, tags: list[str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "ip_version": row.ip_version,
        "prefixes": row.prefixes,
        "default_prefixlen": str(row.default_prefixlen),
        "min_prefixlen": str(row.min_prefixlen),
        "max_prefixlen": str(row.max_prefixlen),
        "shared": row.shared,
        "is_default": row.is_default,
        "default_quota": row.default_quota,
        "address_scope_id": row.address_scope_id,
        **records.standard(row, tags),
    }
