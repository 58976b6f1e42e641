"""Quotas as Neutron's quotas extension keeps them: per-project limits over defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select

from kilocloud.core.context import RequestContext
from kilocloud.core.db import Connection
from kilocloud.core.errors import BadRequest
from kilocloud.network.errors import OverQuota, PolicyNotAuthorized
from kilocloud.network.models import (
    FloatingIP,
    Network,
    Port,
    Quota,
    Router,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
)
from kilocloud.network.service.deps import NetworkDeps

RESOURCES = (
    "network",
    "subnet",
    "port",
    "router",
    "floatingip",
    "security_group",
    "security_group_rule",
    "rbac_policy",
    "subnetpool",
)
MODELS = {
    "network": Network,
    "subnet": Subnet,
    "port": Port,
    "router": Router,
    "floatingip": FloatingIP,
    "security_group": SecurityGroup,
    "security_group_rule": SecurityGroupRule,
}


def defaults(deps: NetworkDeps) -> dict[str, int]:
    """The configured default limit of every resource."""
    return {r: getattr(deps.conf.quotas, f"quota_{r}") for r in RESOURCES}


async def limits(deps: NetworkDeps, conn: Connection, project_id: str) -> dict[str, int]:
    """The project's limits: its own where set, the defaults elsewhere."""
    found = defaults(deps)
    rows = await conn.execute(
        select(Quota.resource, Quota.limit).where(Quota.project_id == project_id)
    )
    found.update(dict(rows.all()))
    return found


async def used(conn: Connection, project_id: str, model: type) -> int:
    return await conn.scalar(select(func.count()).where(model.project_id == project_id)) or 0


async def check_quota(
    deps: NetworkDeps, conn: Connection, project_id: str, resource: str, model: type, count: int = 1
) -> None:
    """409 OverQuota when `count` more would exceed the project's limit."""
    limit = (await limits(deps, conn, project_id))[resource]
    if limit >= 0 and await used(conn, project_id, model) + count > limit:
        raise OverQuota(overs=f"['{resource}']")


class Quotas:
    """GET/PUT/DELETE /v2.0/quotas..."""

    def __init__(self, deps: NetworkDeps) -> None:
        self.deps = deps

    def _may_read(self, ctx: RequestContext, project_id: str) -> None:
        if project_id != ctx.project_id and not self.deps.policy.check(
            ctx, "get_quota", {"project_id": project_id, "tenant_id": project_id}
        ):
            raise PolicyNotAuthorized(action="get_quota")

    def _may_write(self, ctx: RequestContext, rule: str, project_id: str) -> None:
        if not self.deps.policy.check(
            ctx, rule, {"project_id": project_id, "tenant_id": project_id}
        ):
            raise PolicyNotAuthorized(action=rule)

    async def show(self, ctx: RequestContext, project_id: str) -> dict[str, int]:
        self._may_read(ctx, project_id)
        async with self.deps.db.connect() as conn:
            return await limits(self.deps, conn, project_id)

    async def default(self, ctx: RequestContext, project_id: str) -> dict[str, int]:
        self._may_read(ctx, project_id)
        return defaults(self.deps)

    async def details(self, ctx: RequestContext, project_id: str) -> dict[str, dict]:
        self._may_read(ctx, project_id)
        async with self.deps.db.connect() as conn:
            found = await limits(self.deps, conn, project_id)
            counts = {r: await used(conn, project_id, m) for r, m in MODELS.items()}
        return {r: {"limit": v, "used": counts.get(r, 0), "reserved": 0} for r, v in found.items()}

    async def list(self, ctx: RequestContext) -> list[dict[str, Any]]:
        if not ctx.is_admin:
            raise PolicyNotAuthorized(action="get_quota")
        async with self.deps.db.connect() as conn:
            projects = list((await conn.execute(select(Quota.project_id).distinct())).scalars())
            return [{**await limits(self.deps, conn, p), "project_id": p} for p in projects]

    async def update(self, ctx: RequestContext, project_id: str, data: Any) -> dict[str, int]:
        self._may_write(ctx, "update_quota", project_id)
        if not isinstance(data, dict) or not isinstance(data.get("quota"), dict):
            raise BadRequest("Unable to find 'quota' in request body")
        wanted = dict(data["quota"])
        force = wanted.pop("force", False) in (True, "true", "True")
        values = {}
        for resource, raw in wanted.items():
            if resource not in RESOURCES:
                raise BadRequest(f"Unrecognized attribute(s) '{resource}'")
            try:
                values[resource] = int(raw) if not isinstance(raw, bool) else int("x")
            except (TypeError, ValueError):
                raise BadRequest(
                    f"Invalid input for {resource}. Reason: '{raw}' is not an integer."
                ) from None
            if values[resource] < -1:
                raise BadRequest(f"Invalid input for {resource}. Reason: '{raw}' should be >= -1.")
        async with self.deps.db.transaction() as conn:
            for resource, limit in values.items():
                await self._check_usage(conn, project_id, resource, limit, force)
                await conn.execute(
                    delete(Quota).where(Quota.project_id == project_id, Quota.resource == resource)
                )
                await conn.execute(
                    insert(Quota).values(project_id=project_id, resource=resource, limit=limit)
                )
            return await limits(self.deps, conn, project_id)

    async def _check_usage(
        self, conn: Connection, project_id: str, resource: str, limit: int, force: bool
    ) -> None:
        model = MODELS.get(resource)
        if force or limit < 0 or model is None:
            return
        in_use = await used(conn, project_id, model)
        if in_use > limit:
            raise BadRequest(
                f"Quota limit {limit} for {resource} must be greater than or equal to "
                f"already used {in_use}"
            )

    async def delete(self, ctx: RequestContext, project_id: str) -> None:
        self._may_write(ctx, "delete_quota", project_id)
        async with self.deps.db.transaction() as conn:
            await conn.execute(delete(Quota).where(Quota.project_id == project_id))
