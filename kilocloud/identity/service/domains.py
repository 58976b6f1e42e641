"""Domains: the Default domain exists; a domain must be disabled before it is deleted."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden
from kilocloud.identity.models import (
    ApplicationCredential,
    Assignment,
    Domain,
    Group,
    GroupMembership,
    ImpliedRole,
    Project,
    Role,
    User,
)
from kilocloud.identity.service import Identity, records

COLUMNS = ("id", "name", "description", "enabled")


async def _check_name(session: AsyncSession, name: str, domain_id: str | None = None) -> None:
    found = await session.scalar(select(Domain).where(Domain.name == name))
    if found is not None and found.id != domain_id:
        raise records.duplicate("domain", f"found with name {name}")


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Domain:
    """Create a domain."""
    idn.enforce(ctx, "create_domain")
    async with records.writing(idn, "domain") as session:
        await _check_name(session, ref["name"])
        domain = Domain(
            id=ref.get("id") or uuid.uuid4().hex,
            name=ref["name"],
            description=ref.get("description"),
            enabled=ref.get("enabled", True),
            extra=records.extra_of(ref, (*COLUMNS, "tags", "options")),
        )
        if await session.get(Domain, domain.id) is not None:
            raise records.duplicate("domain", f"found with ID {domain.id}")
        session.add(domain)
    await idn.notify(ctx, "domain.created", domain.id)
    return domain


async def get(idn: Identity, ctx: RequestContext, domain_id: str) -> Domain:
    """One domain."""
    idn.enforce(ctx, "get_domain", {"target": {"domain": {"id": domain_id}}})
    async with idn.db.read() as session:
        return await records.get(session, Domain, domain_id, "domain")


async def listing(idn: Identity, ctx: RequestContext, filters: dict[str, Any]) -> list[Domain]:
    """Domains matching `name` and `enabled`."""
    idn.enforce(ctx, "list_domains")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Domain).filter_by(**filters).order_by(Domain.name))
        return list(rows)


async def update(idn: Identity, ctx: RequestContext, domain_id: str, ref: dict[str, Any]) -> Domain:
    """Change a domain; disabling it revokes every token of or in it."""
    idn.enforce(ctx, "update_domain", {"target": {"domain": {"id": domain_id}}})
    if ref.get("enabled") is False and domain_id == idn.conf.identity.default_domain_id:
        raise Forbidden("The default domain cannot be disabled.")
    async with records.writing(idn, "domain") as session:
        domain = await records.get(session, Domain, domain_id, "domain")
        if "name" in ref:
            await _check_name(session, ref["name"], domain_id)
        for key in ("name", "description", "enabled"):
            if key in ref:
                setattr(domain, key, ref[key])
        domain.extra = {**domain.extra, **records.extra_of(ref, (*COLUMNS, "tags", "options"))}
        if ref.get("enabled") is False:
            await idn.revocations.add(session, domain_id=domain_id)
    await idn.notify(ctx, "domain.updated", domain_id)
    return domain


async def delete_domain(idn: Identity, ctx: RequestContext, domain_id: str) -> None:
    """Delete a disabled domain and everything in it."""
    idn.enforce(ctx, "delete_domain", {"target": {"domain": {"id": domain_id}}})
    async with records.writing(idn, "domain") as session:
        domain = await records.get(session, Domain, domain_id, "domain")
        if domain.enabled:
            raise Forbidden("Cannot delete a domain that is enabled, please disable it first.")
        await _delete_contents(session, domain_id)
        await session.delete(domain)
        await idn.revocations.add(session, domain_id=domain_id)
    await idn.notify(ctx, "domain.deleted", domain_id)


async def _delete_contents(session: AsyncSession, domain_id: str) -> None:
    users = select(User.id).where(User.domain_id == domain_id)
    groups = select(Group.id).where(Group.domain_id == domain_id)
    roles = select(Role.id).where(Role.domain_id == domain_id)
    await _delete_assignments(session, domain_id, users, groups, roles)
    await session.execute(
        delete(GroupMembership).where(
            or_(GroupMembership.user_id.in_(users), GroupMembership.group_id.in_(groups))
        )
    )
    await session.execute(
        delete(ApplicationCredential).where(ApplicationCredential.user_id.in_(users))
    )
    rows = await session.execute(
        select(Project.id, Project.parent_id).where(Project.domain_id == domain_id)
    )
    for project_id in children_first(rows.all()):
        await session.execute(delete(Project).where(Project.id == project_id))
    await session.execute(
        delete(ImpliedRole).where(
            or_(ImpliedRole.prior_role_id.in_(roles), ImpliedRole.implied_role_id.in_(roles))
        )
    )
    for model in (User, Group, Role):
        await session.execute(delete(model).where(model.domain_id == domain_id))


async def _delete_assignments(
    session: AsyncSession, domain_id: str, users: Select, groups: Select, roles: Select
) -> None:
    projects = select(Project.id).where(Project.domain_id == domain_id)
    await session.execute(
        delete(Assignment).where(
            or_(
                Assignment.actor_id.in_(users),
                Assignment.actor_id.in_(groups),
                Assignment.target_id.in_(projects),
                Assignment.role_id.in_(roles),
                (Assignment.target_type == "domain") & (Assignment.target_id == domain_id),
            )
        )
    )


def children_first(rows: list[tuple[str, str | None]]) -> list[str]:
    """Project ids ordered so that every project comes before its parent."""
    parent = dict(rows)

    def depth(project_id: str) -> int:
        level = 0
        while parent.get(project_id):
            project_id, level = parent[project_id], level + 1
        return level

    return sorted(parent, key=depth, reverse=True)
