"""What a token's user may scope to: GET /v3/auth/{catalog,projects,domains,system}."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden
from kilocloud.identity.models import Assignment, Domain, Project
from kilocloud.identity.service import Identity, assignments, catalog


async def catalog_for(idn: Identity, ctx: RequestContext) -> list[dict[str, Any]]:
    """The catalog; only a scoped token may see it, as Keystone has it."""
    idn.enforce(ctx, "get_auth_catalog")
    if not (ctx.project_id or ctx.domain_id or ctx.system_scope):
        raise Forbidden("A scoped token is required to produce a service catalog.")
    return await catalog.catalog(idn)


async def _targets(idn: Identity, user_id: str, target_type: str) -> set[str]:
    async with idn.db.read() as session:
        actors = [user_id, *await assignments.user_group_ids(session, user_id)]
        rows = await session.scalars(
            select(Assignment.target_id).where(
                Assignment.actor_id.in_(actors), Assignment.target_type == target_type
            )
        )
        return set(rows)


async def projects_for(idn: Identity, ctx: RequestContext) -> list[Project]:
    """Enabled projects the user has a role on, directly, by group or by inheritance."""
    idn.enforce(ctx, "get_auth_projects")
    direct = await _targets(idn, ctx.user_id, "project")
    domains = await _targets(idn, ctx.user_id, "domain")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Project).where(Project.enabled))
        found = []
        for project in rows:
            if not (project.id in direct or project.domain_id in domains):
                continue
            if await assignments.direct_role_ids(session, ctx.user_id, "project", project.id):
                found.append(project)
    return sorted(found, key=lambda p: p.name)


async def domains_for(idn: Identity, ctx: RequestContext) -> list[Domain]:
    """Enabled domains the user has a role on."""
    idn.enforce(ctx, "get_auth_domains")
    ids = await _targets(idn, ctx.user_id, "domain")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Domain).where(Domain.id.in_(ids), Domain.enabled))
        return sorted(rows, key=lambda d: d.name)


async def system_for(idn: Identity, ctx: RequestContext) -> list[dict[str, bool]]:
    """[{"all": true}] when the user has a role on the system."""
    idn.enforce(ctx, "get_auth_system")
    return [{"all": True}] if "all" in await _targets(idn, ctx.user_id, "system") else []
