"""Pools and flavors (admin): the storage catalog Zaqar keeps for operators."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.db import Database
from kilocloud.core.errors import Forbidden, NotFound
from kilocloud.core.policy import Policy
from kilocloud.messaging.errors import InvalidRequest, titled
from kilocloud.messaging.models import Flavor, Pool
from kilocloud.messaging.service import limits, pool_uris
from kilocloud.messaging.service.caller import Caller, enforce

POOL_FIELDS = ("uri", "weight", "flavor", "options")


def _pool_fields(doc: Any, partial: bool) -> dict[str, Any]:
    if not isinstance(doc, dict) or (partial and not set(doc) & set(POOL_FIELDS)):
        raise InvalidRequest(f"A pool document needs some of: {', '.join(POOL_FIELDS)}.")
    out: dict[str, Any] = {}
    if "uri" in doc or not partial:
        out["uri"] = doc.get("uri")
    if "weight" in doc or not partial:
        out["weight"] = limits.field(doc.get("weight"), "weight", 0, 2**31)
    if doc.get("flavor") is not None:
        out["flavor"] = limits.queue_name(str(doc["flavor"]), "Flavor")
    if "options" in doc:
        if not isinstance(doc["options"], dict):
            raise InvalidRequest("Pool options must be an object.")
        out["options"] = doc["options"]
    return out


class Catalog:
    """CRUD of pools (global) and flavors (per project), admin only."""

    def __init__(self, db: Database, policy: Policy) -> None:
        self.db, self.policy = db, policy

    async def list_pools(self, who: Caller, marker: str | None, limit: int) -> list[Pool]:
        """A page of pools in name order."""
        enforce(self.policy, who, "pools:get_all")
        marker = limits.marker(marker, limits.queue_name)
        stmt = select(Pool).order_by(Pool.name).limit(limit)
        async with self.db.read() as s:
            return list(await s.scalars(stmt.where(Pool.name > marker) if marker else stmt))

    async def put_pool(self, who: Caller, name: str, doc: Any) -> None:
        """Create or replace a pool."""
        enforce(self.policy, who, "pools:create")
        name = limits.queue_name(name, "Pool")
        fields = {"options": {}, **_pool_fields(doc, partial=False)}
        await pool_uris.check(fields["uri"])
        async with self.db.write() as s:
            old = await s.get(Pool, name)
            fields.setdefault("flavor", old.flavor if old else None)
            await s.merge(Pool(name=name, **fields))
            await _join(s, who.project, name, fields["flavor"])

    async def get_pool(self, who: Caller, name: str) -> Pool:
        """One pool; 404 when there is none."""
        enforce(self.policy, who, "pools:get")
        name = limits.queue_name(name, "Pool")
        async with self.db.read() as s:
            pool = await s.get(Pool, name)
        if pool is None:
            raise NotFound(f"Pool {name} does not exist.")
        return pool

    async def update_pool(self, who: Caller, name: str, doc: Any) -> Pool:
        """Change some fields of a pool."""
        enforce(self.policy, who, "pools:update")
        name = limits.queue_name(name, "Pool")
        fields = _pool_fields(doc, partial=True)
        if "uri" in fields:
            await pool_uris.check(fields["uri"])
        async with self.db.write() as s:
            pool = await s.get(Pool, name)
            if pool is None:
                raise NotFound(f"Pool {name} does not exist.")
            for key, value in fields.items():
                setattr(pool, key, value)
            await _join(s, who.project, name, fields.get("flavor"))
        return pool

    async def delete_pool(self, who: Caller, name: str) -> None:
        """Forget a pool."""
        enforce(self.policy, who, "pools:delete")
        name = limits.queue_name(name, "Pool")
        async with self.db.write() as s:
            users = [f for f in await s.scalars(select(Flavor)) if name in f.pool_list]
            if last := [f.name for f in users if f.pool_list == [name]]:
                raise titled(
                    Forbidden,
                    "Unable to delete",
                    f"This pool is used by flavors {', '.join(last)}; it cannot be deleted.",
                )
            for flavor in users:
                flavor.pool_list = [p for p in flavor.pool_list if p != name]
            await s.execute(delete(Pool).where(Pool.name == name))

    async def list_flavors(self, who: Caller, marker: str | None, limit: int) -> list[Flavor]:
        """A page of the project's flavors."""
        enforce(self.policy, who, "flavors:get_all")
        marker = limits.marker(marker, limits.queue_name)
        stmt = select(Flavor).where(Flavor.project == who.project).order_by(Flavor.name)
        stmt = stmt.where(Flavor.name > marker) if marker else stmt
        async with self.db.read() as s:
            return list(await s.scalars(stmt.limit(limit)))

    async def put_flavor(self, who: Caller, name: str, doc: Any) -> None:
        """Create or replace a flavor over existing pools."""
        enforce(self.policy, who, "flavors:create")
        pools = await self._pools(doc)
        caps = doc.get("capabilities") or {}
        flavor = Flavor(project=who.project, name=limits.queue_name(name, "Flavor"))
        flavor.pool_list, flavor.capabilities = pools, caps
        async with self.db.write() as s:
            old = await s.get(Flavor, (who.project, flavor.name))
            await _link(s, flavor.name, old.pool_list if old else [], pools)
            await s.merge(flavor)

    async def _pools(self, doc: Any) -> list[str]:
        pools = doc.get("pool_list") if isinstance(doc, dict) else None
        if not isinstance(pools, list) or not all(isinstance(p, str) for p in pools):
            raise InvalidRequest("A flavor needs a pool_list of pool names.")
        async with self.db.read() as s:
            known = set(await s.scalars(select(Pool.name).where(Pool.name.in_(pools))))
        if missing := set(pools) - known:
            raise InvalidRequest(f"Unknown pools: {', '.join(sorted(missing))}.")
        return pools

    async def get_flavor(self, who: Caller, name: str) -> Flavor:
        """One of the project's flavors; 404 when there is none."""
        enforce(self.policy, who, "flavors:get")
        name = limits.queue_name(name, "Flavor")
        async with self.db.read() as s:
            flavor = await s.get(Flavor, (who.project, name))
        if flavor is None:
            raise NotFound(f"Flavor {name} does not exist.")
        return flavor

    async def update_flavor(self, who: Caller, name: str, doc: Any) -> Flavor:
        """Change a flavor's pool list."""
        enforce(self.policy, who, "flavors:update")
        name = limits.queue_name(name, "Flavor")
        pools = await self._pools(doc)
        async with self.db.write() as s:
            flavor = await s.get(Flavor, (who.project, name))
            if flavor is None:
                raise NotFound(f"Flavor {name} does not exist.")
            await _link(s, name, flavor.pool_list, pools)
            flavor.pool_list = pools
        return flavor

    async def delete_flavor(self, who: Caller, name: str) -> None:
        """Forget a flavor."""
        enforce(self.policy, who, "flavors:delete")
        name = limits.queue_name(name, "Flavor")
        async with self.db.write() as s:
            flavor = await s.get(Flavor, (who.project, name))
            if flavor is not None:
                await _link(s, name, flavor.pool_list, [])
                await s.delete(flavor)


async def _link(s: AsyncSession, flavor: str, old: list[str], new: list[str]) -> None:
    """Point the pools of `new` at the flavor, and those it drops back at none."""
    dropped = [p for p in old if p not in new]
    await s.execute(
        update(Pool).where(Pool.name.in_(dropped), Pool.flavor == flavor).values(flavor=None)
    )
    await s.execute(update(Pool).where(Pool.name.in_(new)).values(flavor=flavor))


async def _join(s: AsyncSession, project: str, pool: str, flavor: str | None) -> None:
    """Add the pool to the pool list of the project's flavor it names, if there is one."""
    found = await s.get(Flavor, (project, flavor)) if flavor else None
    if found is not None and pool not in found.pool_list:
        found.pool_list = [*found.pool_list, pool]
