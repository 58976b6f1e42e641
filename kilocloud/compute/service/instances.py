"""Instance rows as the API reads them: by uuid for a caller, with their tags and group."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.compute.models import Instance, InstanceTag, ServerGroup, ServerGroupMember
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import NotFound


def not_found(uuid: str) -> NotFound:
    return NotFound(f"Instance {uuid} could not be found.")


async def visible(session: AsyncSession, ctx: RequestContext, uuid: str) -> Instance:
    """The live instance, if it is the caller's project's (or the caller is admin)."""
    row = await session.scalar(
        select(Instance).where(Instance.uuid == uuid, Instance.deleted.is_(False))
    )
    if row is None or (row.project_id != ctx.project_id and not ctx.is_admin):
        raise not_found(uuid)
    return row


async def tags_of(session: AsyncSession, uuids: list[str]) -> dict[str, list[str]]:
    """uuid -> sorted tags."""
    found: dict[str, list[str]] = {u: [] for u in uuids}
    if uuids:
        rows = await session.execute(
            select(InstanceTag.instance_uuid, InstanceTag.tag)
            .where(InstanceTag.instance_uuid.in_(uuids))
            .order_by(InstanceTag.tag)
        )
        for uuid, tag in rows.all():
            found[uuid].append(tag)
    return found


async def group_of(session: AsyncSession, uuid: str) -> ServerGroup | None:
    """The server group the instance is a member of."""
    return await session.scalar(
        select(ServerGroup)
        .join(ServerGroupMember, ServerGroupMember.group_id == ServerGroup.id)
        .where(ServerGroupMember.instance_uuid == uuid)
    )
