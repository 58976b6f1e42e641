"""A server's metadata and tags, and its instance actions with their events."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from kilocloud.compute.models import Instance, InstanceAction, InstanceActionEvent, InstanceTag
from kilocloud.compute.service.deps import ComputeDeps
from kilocloud.compute.service.instances import tags_of, visible
from kilocloud.compute.service.quotas import Quotas
from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.core.errors import BadRequest, NotFound

MAX_TAGS = 50


class ServerMeta:
    """/servers/{id}/metadata, /tags and /os-instance-actions."""

    def __init__(self, deps: ComputeDeps, quotas: Quotas) -> None:
        self.deps, self.quotas = deps, quotas

    async def _server(self, ctx: RequestContext, uuid: str, rule: str) -> Instance:
        async with self.deps.db.read() as session:
            row = await visible(session, ctx, uuid)
        self.deps.enforce(ctx, rule, {"project_id": row.project_id})
        return row

    async def metadata(self, ctx: RequestContext, uuid: str) -> dict[str, str]:
        """Every metadata item of the server."""
        return dict((await self._server(ctx, uuid, "server-metadata:index")).meta or {})

    async def set_metadata(
        self, ctx: RequestContext, uuid: str, items: dict[str, str], replace: bool, rule: str
    ) -> dict[str, str]:
        """Merge `items` into the metadata (or replace it); 403 over the quota."""
        row = await self._server(ctx, uuid, rule)
        merged = dict(items) if replace else {**(row.meta or {}), **items}
        await self.quotas.check_metadata(row.project_id, merged)
        async with self.deps.db.transaction() as conn:
            await conn.execute(
                update(Instance)
                .where(Instance.id == row.id)
                .values(meta=merged, updated_at=utcnow())
            )
        return merged

    async def delete_metadata(self, ctx: RequestContext, uuid: str, key: str) -> None:
        """Remove one item; 404 when it is not set."""
        row = await self._server(ctx, uuid, "server-metadata:delete")
        meta = dict(row.meta or {})
        if key not in meta:
            raise NotFound("Metadata item was not found")
        del meta[key]
        async with self.deps.db.transaction() as conn:
            await conn.execute(
                update(Instance).where(Instance.id == row.id).values(meta=meta, updated_at=utcnow())
            )

    async def tags(self, ctx: RequestContext, uuid: str) -> list[str]:
        """The server's tags."""
        await self._server(ctx, uuid, "os-server-tags:index")
        async with self.deps.db.read() as session:
            return (await tags_of(session, [uuid]))[uuid]

    async def replace_tags(self, ctx: RequestContext, uuid: str, tags: list[str]) -> list[str]:
        """Set exactly these tags."""
        await self._server(ctx, uuid, "os-server-tags:update_all")
        wanted = list(dict.fromkeys(tags))
        async with self.deps.db.transaction() as conn:
            await conn.execute(delete(InstanceTag).where(InstanceTag.instance_uuid == uuid))
            for tag in wanted:
                await conn.execute(
                    InstanceTag.__table__.insert().values(instance_uuid=uuid, tag=tag)
                )
        return sorted(wanted)

    async def add_tag(self, ctx: RequestContext, uuid: str, tag: str) -> bool:
        """Add one tag; whether it is new. 400 past 50 tags."""
        current = await self.tags(ctx, uuid)
        self.deps.enforce(ctx, "os-server-tags:update")
        if tag in current:
            return False
        if len(current) >= MAX_TAGS:
            raise BadRequest(f"The number of tags exceeded the per-server limit {MAX_TAGS}")
        async with self.deps.db.transaction() as conn:
            await conn.execute(InstanceTag.__table__.insert().values(instance_uuid=uuid, tag=tag))
        return True

    async def delete_tags(self, ctx: RequestContext, uuid: str, tag: str | None) -> None:
        """Remove one tag (404 when absent) or all of them."""
        rule = "os-server-tags:delete" if tag else "os-server-tags:delete_all"
        await self._server(ctx, uuid, rule)
        stmt = delete(InstanceTag).where(InstanceTag.instance_uuid == uuid)
        if tag is not None:
            stmt = stmt.where(InstanceTag.tag == tag)
        async with self.deps.db.transaction() as conn:
            done = await conn.execute(stmt)
        if tag is not None and not done.rowcount:
            raise NotFound(f"Tag {tag} could not be found.")

    async def actions(self, ctx: RequestContext, uuid: str) -> list[InstanceAction]:
        """The server's actions, newest first."""
        await self._server(ctx, uuid, "os-instance-actions:list")
        async with self.deps.db.read() as session:
            rows = await session.scalars(
                select(InstanceAction)
                .where(InstanceAction.instance_uuid == uuid)
                .order_by(InstanceAction.id.desc())
            )
            return list(rows)

    async def action(
        self, ctx: RequestContext, uuid: str, request_id: str
    ) -> tuple[InstanceAction, list[InstanceActionEvent]]:
        """One action by request id, with its events."""
        await self._server(ctx, uuid, "os-instance-actions:show")
        async with self.deps.db.read() as session:
            found = await session.scalar(
                select(InstanceAction).where(
                    InstanceAction.instance_uuid == uuid, InstanceAction.request_id == request_id
                )
            )
            if found is None:
                raise NotFound(f"Action for request_id {request_id} on instance {uuid} not found")
            events = await session.scalars(
                select(InstanceActionEvent)
                .where(InstanceActionEvent.action_id == found.id)
                .order_by(InstanceActionEvent.id)
            )
            return found, list(events)
