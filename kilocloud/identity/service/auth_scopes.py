"""What a token's user may scope to: GET /v3/auth/{catalog,projects,domains,system}."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden
from kilocloud.identity.models import Assignment, Domain, Project
from kilocloud.identity.service import Identity, assignments, catalog, project_lists


async def catalog_for(idn: Identity, ctx: RequestContext) -> list[dict[str, Any]]:
    """The catalog; only a scoped token may see it, as Keystone has it."""
    idn.enforce(ctx, "get_auth_catalog")
    if not (ctx.project_id or ctx.domain_id or ctx.system_scope):
        raise Forbidden("A scoped token is required to produce a service catalog.")
    return await catalog.catalog(idn)


async def _grants(idn: Identity, user_id: str) -> set[tuple[str, str, bool]]:
    """(target type, target id, inherited) of every assignment to the user or their groups."""
    async with idn.db.read() as session:
        actors = [user_id, *await assignments.user_group_ids(session, user_id)]
        rows = await session.execute(
            select(Assignment.target_type, Assignment.target_id, Assignment.inherited).where(
                Assignment.actor_id.in_(actors)
            )
        )
        return {(t, i, bool(inh)) for t, i, inh in rows}


async def projects_for(idn: Identity, ctx: RequestContext) -> list[Project]:
    """Enabled projects the user has a role on, directly, by group or by inheritance."""
    idn.enforce(ctx, "get_auth_projects")
    async with idn.db.read() as session:
        projects = await project_lists.reachable(session, ctx.user_id)
    return [p for p in projects if p.enabled]


async def domains_for(idn: Identity, ctx: RequestContext) -> list[Domain]:
    """Enabled domains the user has a role on (inherited grants apply to projects only)."""
    idn.enforce(ctx, "get_auth_domains")
    grants = await _grants(idn, ctx.user_id)
    ids = {i for t, i, inh in grants if t == "domain" and not inh}
    async with idn.db.read() as session:
        rows = await session.scalars(select(Domain).where(Domain.id.in_(ids), Domain.enabled))
        return sorted(rows, key=lambda d: d.name)


async def system_for(idn: Identity, ctx: RequestContext) -> list[dict[str, bool]]:
    """[{"all": true}] when the user has a role on the system."""
    idn.enforce(ctx, "get_auth_system")
    grants = await _grants(idn, ctx.user_id)
    return [{"all": True}] if ("system", "all", False) in grants else []
