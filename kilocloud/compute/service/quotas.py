"""Quota limits (config defaults, per-project and per-user overrides), usage and checks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from kilocloud.compute.models import Instance, KeyPair, Quota, ServerGroup
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.validation import boolean
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Forbidden

Version = tuple[int, int]
NETWORK = ("fixed_ips", "floating_ips", "security_groups", "security_group_rules")
INJECTED = ("injected_files", "injected_file_content_bytes", "injected_file_path_bytes")
CORE = (
    "instances",
    "cores",
    "ram",
    "metadata_items",
    "key_pairs",
    "server_groups",
    "server_group_members",
)
_CONF_NAME = {"injected_file_path_bytes": "injected_file_path_length"}


def resources(version: Version) -> list[str]:
    """The quota keys shown at `version` (2.36 drops network keys, 2.57 injected files)."""
    keys = list(CORE)
    if version < (2, 57):
        keys += INJECTED
    if version < (2, 36):
        keys += NETWORK
    return keys


class Quotas:
    """os-quota-sets and the checks server, key pair and group creation make."""

    def __init__(self, deps: ComputeDeps) -> None:
        self.deps = deps

    def default(self, resource: str) -> int:
        """The configured default limit of `resource` (-1 for the legacy network keys)."""
        if resource in NETWORK:
            return -1
        return getattr(self.deps.conf.quota, _CONF_NAME.get(resource, resource))

    async def limits(self, project_id: str, user_id: str | None = None) -> dict[str, int]:
        """Every limit of the project (and user, whose own limits win)."""
        found = {r: self.default(r) for r in (*CORE, *INJECTED, *NETWORK)}
        owners = [""] + ([user_id] if user_id else [])
        async with self.deps.db.read() as session:
            rows = await session.execute(
                select(Quota.user_id, Quota.resource, Quota.hard_limit)
                .where(Quota.project_id == project_id, Quota.user_id.in_(owners))
                .order_by(Quota.user_id)
            )
            for _user, resource, limit in rows.all():
                found[resource] = limit
        return found

    async def limit(self, project_id: str | None, resource: str, user_id: str | None = None) -> int:
        """One limit."""
        return (await self.limits(project_id or "", user_id))[resource]

    async def usage(self, project_id: str, user_id: str | None = None) -> dict[str, int]:
        """What the project (or one user in it) uses."""
        live = (Instance.project_id == project_id, Instance.deleted.is_(False))
        if user_id:
            live += (Instance.user_id == user_id,)
        async with self.deps.db.read() as session:
            count, cores, ram = (
                await session.execute(
                    select(
                        func.count(),
                        func.coalesce(func.sum(Instance.vcpus), 0),
                        func.coalesce(func.sum(Instance.memory_mb), 0),
                    ).where(*live)
                )
            ).one()
            groups = await session.scalar(
                select(func.count())
                .select_from(ServerGroup)
                .where(ServerGroup.project_id == project_id)
            )
            keypairs = 0
            if user_id:
                keypairs = await session.scalar(
                    select(func.count()).select_from(KeyPair).where(KeyPair.user_id == user_id)
                )
        return {
            "instances": count,
            "cores": int(cores),
            "ram": int(ram),
            "server_groups": groups,
            "key_pairs": keypairs,
        }

    async def check_instances(
        self, project_id: str, user_id: str, count: int, vcpus: int, ram: int
    ) -> None:
        """403 in Nova's words when `count` more servers of this size exceed a limit."""
        limits = await self.limits(project_id, user_id)
        used = await self.usage(project_id)
        asked = {"instances": count, "cores": vcpus * count, "ram": ram * count}
        overs = [r for r in sorted(asked) if 0 <= limits[r] < used[r] + asked[r]]
        if overs:
            raise Forbidden(
                f"Quota exceeded for {', '.join(overs)}: Requested "
                f"{', '.join(str(asked[r]) for r in overs)}, but already used "
                f"{', '.join(str(used[r]) for r in overs)} of "
                f"{', '.join(str(limits[r]) for r in overs)} {', '.join(overs)}"
            )

    async def check_metadata(self, project_id: str, metadata: dict[str, Any]) -> None:
        """403 when a server's metadata has more items than allowed."""
        limit = await self.limit(project_id, "metadata_items")
        if 0 <= limit < len(metadata):
            raise Forbidden(
                "Quota exceeded for metadata_items: Requested "
                f"{len(metadata)}, but already used 0 of {limit} metadata_items"
            )

    async def show(
        self, ctx: RequestContext, project_id: str, user_id: str | None
    ) -> dict[str, int]:
        """The project's (or user's) limits."""
        self.deps.enforce(ctx, "os-quota-sets:show", {"project_id": project_id})
        return await self.limits(project_id, user_id)

    async def detail(
        self, ctx: RequestContext, project_id: str, user_id: str | None
    ) -> dict[str, dict[str, int]]:
        """Limits with what is in use."""
        self.deps.enforce(ctx, "os-quota-sets:detail", {"project_id": project_id})
        limits = await self.limits(project_id, user_id)
        used = await self.usage(project_id, user_id)
        return {r: {"limit": v, "in_use": used.get(r, 0), "reserved": 0} for r, v in limits.items()}

    async def update(
        self, ctx: RequestContext, project_id: str, user_id: str | None, values: dict[str, Any]
    ) -> dict[str, int]:
        """Set limits (admin); 400 below current usage unless forced."""
        self.deps.enforce(ctx, "os-quota-sets:update", {"project_id": project_id})
        force = values.pop("force", False)
        used = await self.usage(project_id, user_id)
        new = {r: int(v) for r, v in values.items()}
        if not boolean(force):
            for resource, value in new.items():
                if 0 <= value < used.get(resource, 0):
                    raise BadRequest(
                        f"Quota limit {value} for {resource} must be greater than or equal to "
                        f"already used and reserved {used[resource]}."
                    )
        async with self.deps.db.write() as session:
            for resource, value in new.items():
                await session.merge(
                    Quota(
                        project_id=project_id,
                        user_id=user_id or "",
                        resource=resource,
                        hard_limit=value,
                    )
                )
        return await self.limits(project_id, user_id)

    async def delete(self, ctx: RequestContext, project_id: str, user_id: str | None) -> None:
        """Back to the defaults (admin)."""
        self.deps.enforce(ctx, "os-quota-sets:delete", {"project_id": project_id})
        async with self.deps.db.write() as session:
            await session.execute(
                delete(Quota).where(
                    Quota.project_id == project_id, Quota.user_id == (user_id or "")
                )
            )
