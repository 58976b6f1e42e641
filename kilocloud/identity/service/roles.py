"""Roles: global (domain_id "") or specific to one domain."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.identity.models import Assignment, Domain, ImpliedRole, Role
from kilocloud.identity.service import Identity, records


async def _check_name(session: AsyncSession, name: str, domain_id: str, own: str = "") -> None:
    found = await session.scalar(
        select(Role.id).where(Role.domain_id == domain_id, Role.name == name)
    )
    if found is not None and found != own:
        raise records.duplicate("role", f"found with name {name}")


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Role:
    """Create a role."""
    idn.enforce(ctx, "create_role")
    domain_id = ref.get("domain_id") or ""
    async with records.writing(idn, "role") as session:
        if domain_id:
            await records.get(session, Domain, domain_id, "domain")
        await _check_name(session, ref["name"], domain_id)
        role = Role(
            id=uuid.uuid4().hex,
            name=ref["name"],
            domain_id=domain_id,
            description=ref.get("description"),
            options=ref.get("options") or {},
        )
        session.add(role)
    await idn.notify(ctx, "role.created", role.id)
    return role


async def get(idn: Identity, ctx: RequestContext, role_id: str) -> Role:
    """One role."""
    idn.enforce(ctx, "get_role")
    async with idn.db.read() as session:
        return await records.get(session, Role, role_id, "role")


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Role], bool]:
    """Global roles, or those of the `domain_id` filter, matching `name`."""
    idn.enforce(ctx, "list_roles")
    query = select(Role).where(Role.domain_id == (filters.get("domain_id") or ""))
    if "name" in filters:
        query = query.where(Role.name == filters["name"])
    async with idn.db.read() as session:
        return records.limited(idn, list(await session.scalars(query.order_by(Role.name))))


async def update(idn: Identity, ctx: RequestContext, role_id: str, ref: dict[str, Any]) -> Role:
    """Rename or describe a role."""
    idn.enforce(ctx, "update_role")
    async with records.writing(idn, "role") as session:
        role = await records.get(session, Role, role_id, "role")
        if "name" in ref:
            await _check_name(session, ref["name"], role.domain_id, role_id)
        if "name" in ref:
            role.name = ref["name"]
        if "description" in ref:
            role.description = ref["description"]
        if "options" in ref:
            role.options = ref["options"] or {}
    await idn.notify(ctx, "role.updated", role_id)
    return role


async def delete_role(idn: Identity, ctx: RequestContext, role_id: str) -> None:
    """Delete a role, its assignments and inference rules; tokens carrying it stop validating."""
    idn.enforce(ctx, "delete_role")
    async with records.writing(idn, "role") as session:
        role = await records.get(session, Role, role_id, "role")
        await session.execute(delete(Assignment).where(Assignment.role_id == role_id))
        await session.execute(
            delete(ImpliedRole).where(
                or_(ImpliedRole.prior_role_id == role_id, ImpliedRole.implied_role_id == role_id)
            )
        )
        await session.delete(role)
        await idn.revocations.add(session, role_id=role_id)
    await idn.notify(ctx, "role.deleted", role_id)


async def find(session: AsyncSession, ref: dict[str, Any], domain_id: str = "") -> Role:
    """The role a {"id"} or {"name"} reference names (a global role, or one of `domain_id`)."""
    if "id" in ref:
        return await records.get(session, Role, ref["id"], "role")
    role = await session.scalar(
        select(Role)
        .where(Role.name == ref["name"], Role.domain_id.in_(["", domain_id]))
        .order_by(Role.domain_id.desc())
    )
    if role is None:
        raise records.not_found("role", ref["name"])
    return role
