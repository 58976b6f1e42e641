"""Groups and their members."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import NotFound
from kilocloud.identity.models import Assignment, Domain, Group, GroupMembership, User
from kilocloud.identity.service import Identity, records
from kilocloud.identity.service.projects import default_domain

COLUMNS = ("name", "domain_id", "description")


def _target(group_id: str, domain_id: str | None = None) -> dict[str, Any]:
    return {"target": {"group": {"id": group_id}, "domain_id": domain_id}}


async def _check_name(session: AsyncSession, name: str, domain_id: str, own: str = "") -> None:
    found = await session.scalar(
        select(Group.id).where(Group.domain_id == domain_id, Group.name == name)
    )
    if found is not None and found != own:
        raise records.duplicate("group", f"found with name {name} at domain ID {domain_id}")


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Group:
    """Create a group."""
    domain_id = ref.get("domain_id") or default_domain(idn, ctx)
    idn.enforce(ctx, "create_group", {"target": {"group": {"domain_id": domain_id}}})
    async with records.writing(idn, "group") as session:
        await records.get(session, Domain, domain_id, "domain")
        await _check_name(session, ref["name"], domain_id)
        group = Group(
            id=uuid.uuid4().hex,
            name=ref["name"],
            domain_id=domain_id,
            description=ref.get("description"),
            extra=records.extra_of(ref, (*COLUMNS, "id")),
        )
        session.add(group)
    await idn.notify(ctx, "group.created", group.id)
    return group


async def get(idn: Identity, ctx: RequestContext, group_id: str) -> Group:
    """One group."""
    async with idn.db.read() as session:
        group = await session.get(Group, group_id)
    idn.enforce(ctx, "get_group", _target(group_id, group.domain_id if group else None))
    if group is None:
        raise records.not_found("group", group_id)
    return group


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Group], bool]:
    """Groups matching `name` and `domain_id`."""
    idn.enforce(ctx, "list_groups", {"target": {"domain_id": filters.get("domain_id")}})
    async with idn.db.read() as session:
        rows = await session.scalars(select(Group).filter_by(**filters).order_by(Group.name))
        return records.limited(idn, list(rows))


async def update(idn: Identity, ctx: RequestContext, group_id: str, ref: dict[str, Any]) -> Group:
    """Rename or describe a group."""
    idn.enforce(ctx, "update_group", _target(group_id))
    async with records.writing(idn, "group") as session:
        group = await records.get(session, Group, group_id, "group")
        if "name" in ref:
            await _check_name(session, ref["name"], group.domain_id, group_id)
        for key in ("name", "description"):
            if key in ref:
                setattr(group, key, ref[key])
        group.extra = {**group.extra, **records.extra_of(ref, (*COLUMNS, "id"))}
    await idn.notify(ctx, "group.updated", group_id)
    return group


async def _revoke_members(idn: Identity, session: AsyncSession, group_id: str) -> None:
    """Members lose the group's roles: their tokens may carry them, so revoke those tokens."""
    if not await session.scalar(select(Assignment.role_id).where(Assignment.actor_id == group_id)):
        return
    members = await session.scalars(
        select(GroupMembership.user_id).where(GroupMembership.group_id == group_id)
    )
    for user_id in list(members):
        await idn.revocations.add(session, user_id=user_id)


async def delete_group(idn: Identity, ctx: RequestContext, group_id: str) -> None:
    """Delete a group, its memberships and its role assignments."""
    idn.enforce(ctx, "delete_group", _target(group_id))
    async with records.writing(idn, "group") as session:
        group = await records.get(session, Group, group_id, "group")
        await _revoke_members(idn, session, group_id)
        await session.execute(
            delete(Assignment).where(
                Assignment.actor_type == "group", Assignment.actor_id == group_id
            )
        )
        await session.execute(delete(GroupMembership).where(GroupMembership.group_id == group_id))
        await session.delete(group)
    await idn.notify(ctx, "group.deleted", group_id)


async def members(
    idn: Identity, ctx: RequestContext, group_id: str, filters: dict[str, Any]
) -> list[User]:
    """Users in the group."""
    idn.enforce(ctx, "list_users_in_group", _target(group_id))
    async with idn.db.read() as session:
        await records.get(session, Group, group_id, "group")
        query = (
            select(User)
            .join(GroupMembership, GroupMembership.user_id == User.id)
            .where(GroupMembership.group_id == group_id)
            .filter_by(**filters)
            .order_by(User.name)
        )
        return list(await session.scalars(query))


async def of_user(idn: Identity, ctx: RequestContext, user_id: str) -> list[Group]:
    """Groups the user belongs to."""
    idn.enforce(ctx, "list_groups_for_user", {"target": {"user": {"id": user_id}}})
    async with idn.db.read() as session:
        await records.get(session, User, user_id, "user")
        query = (
            select(Group)
            .join(GroupMembership, GroupMembership.group_id == Group.id)
            .where(GroupMembership.user_id == user_id)
            .order_by(Group.name)
        )
        return list(await session.scalars(query))


async def _pair(session: AsyncSession, group_id: str, user_id: str) -> GroupMembership | None:
    await records.get(session, Group, group_id, "group")
    await records.get(session, User, user_id, "user")
    return await session.get(GroupMembership, (group_id, user_id))


async def check_member(idn: Identity, ctx: RequestContext, group_id: str, user_id: str) -> None:
    """404 unless the user is in the group."""
    idn.enforce(ctx, "check_user_in_group", _target(group_id))
    async with idn.db.read() as session:
        if await _pair(session, group_id, user_id) is None:
            raise NotFound(f"User '{user_id}' not found in group '{group_id}'.")


async def add_member(idn: Identity, ctx: RequestContext, group_id: str, user_id: str) -> None:
    """Put the user in the group (no change if already there)."""
    idn.enforce(ctx, "add_user_to_group", _target(group_id))
    async with records.ensuring(idn) as session:
        if await _pair(session, group_id, user_id) is None:
            session.add(GroupMembership(group_id=group_id, user_id=user_id))
    await idn.notify(ctx, "group.updated", group_id)


async def remove_member(idn: Identity, ctx: RequestContext, group_id: str, user_id: str) -> None:
    """Take the user out of the group; its tokens carrying group roles stop validating."""
    idn.enforce(ctx, "remove_user_from_group", _target(group_id))
    async with records.writing(idn, "group") as session:
        membership = await _pair(session, group_id, user_id)
        if membership is None:
            raise NotFound(f"User '{user_id}' not found in group '{group_id}'.")
        await session.delete(membership)
        if await session.scalar(select(Assignment.role_id).where(Assignment.actor_id == group_id)):
            await idn.revocations.add(session, user_id=user_id)
    await idn.notify(ctx, "group.updated", group_id)
