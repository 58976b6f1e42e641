"""Server groups: affinity policies the scheduler enforces on their members."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select

from kilocloud.compute.models import Instance, ServerGroup, ServerGroupMember
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.quotas import Quotas
from kilocloud.core.context import RequestContext
from kilocloud.core.db import Database
from kilocloud.core.errors import BadRequest, Forbidden, NotFound


async def hosts_of_members(db: Database, group_id: int) -> list[str]:
    """The host of each live, placed member (a host once per member)."""
    async with db.read() as session:
        rows = await session.scalars(
            select(Instance.host)
            .join(ServerGroupMember, ServerGroupMember.instance_uuid == Instance.uuid)
            .where(
                ServerGroupMember.group_id == group_id,
                Instance.deleted.is_(False),
                Instance.host.is_not(None),
            )
        )
        return list(rows)


async def members(db: Database, group_id: int) -> list[str]:
    """uuids of the group's live members."""
    async with db.read() as session:
        rows = await session.scalars(
            select(ServerGroupMember.instance_uuid)
            .join(Instance, Instance.uuid == ServerGroupMember.instance_uuid)
            .where(ServerGroupMember.group_id == group_id, Instance.deleted.is_(False))
        )
        return list(rows)


class ServerGroups:
    """os-server-groups."""

    def __init__(self, deps: ComputeDeps, quotas: Quotas) -> None:
        self.deps, self.quotas = deps, quotas

    async def create(
        self, ctx: RequestContext, name: str, policy: str, rules: dict[str, Any]
    ) -> ServerGroup:
        """A new group; 403 over the server_groups quota."""
        self.deps.enforce(ctx, "os-server-groups:create")
        if rules and policy != "anti-affinity":
            raise BadRequest("Only anti-affinity policy supports rules.")
        limit = await self.quotas.limit(ctx.project_id, "server_groups")
        async with self.deps.db.write() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(ServerGroup)
                .where(ServerGroup.project_id == ctx.project_id)
            )
            if 0 <= limit <= count:
                raise Forbidden("Quota exceeded, too many server groups.")
            row = ServerGroup(
                uuid=str(uuid.uuid4()),
                name=name,
                project_id=ctx.project_id,
                user_id=ctx.user_id,
                policy=policy,
                rules={k: int(v) for k, v in rules.items()},
            )
            session.add(row)
        await self.deps.notify(ctx, "server_group.create", _payload(row))
        return row

    async def get(self, ctx: RequestContext, group_id: str, rule: str = "show") -> ServerGroup:
        """The group if the caller's project owns it (or the caller is admin)."""
        self.deps.enforce(ctx, f"os-server-groups:{rule}")
        async with self.deps.db.read() as session:
            row = await session.scalar(select(ServerGroup).where(ServerGroup.uuid == group_id))
        if row is None or (row.project_id != ctx.project_id and not ctx.is_admin):
            raise NotFound(f"Instance group {group_id} could not be found.")
        return row

    async def list(
        self, ctx: RequestContext, all_projects: bool, limit: int | None, offset: int
    ) -> list[ServerGroup]:
        """The project's groups (every project's for an admin asking all_projects)."""
        self.deps.enforce(ctx, "os-server-groups:index")
        stmt = select(ServerGroup).order_by(ServerGroup.id)
        if all_projects:
            self.deps.enforce(ctx, "os-server-groups:index:all_projects")
        else:
            stmt = stmt.where(ServerGroup.project_id == ctx.project_id)
        stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        async with self.deps.db.read() as session:
            return list(await session.scalars(stmt))

    async def delete(self, ctx: RequestContext, group_id: str) -> None:
        """Remove the group; its members stay."""
        row = await self.get(ctx, group_id, "delete")
        async with self.deps.db.write() as session:
            await session.execute(
                delete(ServerGroupMember).where(ServerGroupMember.group_id == row.id)
            )
            await session.execute(delete(ServerGroup).where(ServerGroup.id == row.id))
        await self.deps.notify(ctx, "server_group.delete", _payload(row))

    async def check_room(self, ctx: RequestContext, group: ServerGroup, count: int) -> None:
        """403 when `count` more members exceed server_group_members."""
        limit = await self.quotas.limit(ctx.project_id, "server_group_members")
        if 0 <= limit < len(await members(self.deps.db, group.id)) + count:
            raise Forbidden("Quota exceeded, too many servers in group")


def _payload(row: ServerGroup) -> dict[str, Any]:
    data = {
        "uuid": row.uuid,
        "name": row.name,
        "user_id": row.user_id,
        "project_id": row.project_id,
        "policy": row.policy,
        "rules": row.rules,
        "policies": [row.policy],
        "hosts": None,
        "members": [],
    }
    return {
        "nova_object.name": "ServerGroupPayload",
        "nova_object.namespace": "nova",
        "nova_object.version": "1.1",
        "nova_object.data": data,
    }
