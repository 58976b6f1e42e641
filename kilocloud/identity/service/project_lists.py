"""Listing projects: Keystone's attribute and tag filters, and the projects of a user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.identity.models import Assignment, Domain, Project, User
from kilocloud.identity.service import Identity, assignments, records


def _tags(value: str | None) -> set[str]:
    return {t for t in (value or "").split(",") if t}


def matches_tags(project_tags: list[str], filters: dict[str, Any]) -> bool:
    """Whether a project passes the tags, tags-any, not-tags and not-tags-any filters."""
    have = set(project_tags)
    if "tags" in filters and not _tags(filters["tags"]) <= have:
        return False
    if "tags-any" in filters and not _tags(filters["tags-any"]) & have:
        return False
    if "not-tags" in filters and _tags(filters["not-tags"]) <= have:
        return False
    return not ("not-tags-any" in filters and _tags(filters["not-tags-any"]) & have)


TAG_FILTERS = ("tags", "tags-any", "not-tags", "not-tags-any")
COLUMN_FILTERS = ("name", "domain_id", "parent_id", "enabled")


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Project | Domain], bool]:
    """Projects matching the filters (domains, when is_domain=true), and whether cut short."""
    idn.enforce(ctx, "list_projects", {"target": {"domain_id": filters.get("domain_id")}})
    async with idn.db.read() as session:
        if filters.get("is_domain"):
            rows: list[Any] = list(await session.scalars(_domains(filters)))
        else:
            columns = {k: v for k, v in filters.items() if k in COLUMN_FILTERS}
            query = select(Project).filter_by(**columns).order_by(Project.name)
            rows = [p for p in await session.scalars(query) if matches_tags(p.tags, filters)]
    return records.limited(idn, rows)


def _domains(filters: dict[str, Any]) -> Select:
    query = select(Domain).order_by(Domain.name)
    if "name" in filters:
        query = query.where(Domain.name == filters["name"])
    if "enabled" in filters:
        query = query.where(Domain.enabled == filters["enabled"])
    return query


async def for_user(
    idn: Identity, ctx: RequestContext, user_id: str, filters: dict[str, Any]
) -> list[Project]:
    """Projects the user has a role on: directly, through a group or by inheritance."""
    idn.enforce(ctx, "list_user_projects", {"target": {"user": {"id": user_id}}})
    async with idn.db.read() as session:
        await records.get(session, User, user_id, "user")
        projects = await reachable(session, user_id)
    return [p for p in projects if _wanted(p, filters)]


async def reachable(session: AsyncSession, user_id: str) -> list[Project]:
    """Projects, by name, the user has a role on: granted directly to them or a group of
    theirs, or inherited from a domain or an ancestor project (as Keystone walks them for both
    /v3/users/{id}/projects and /v3/auth/projects)."""
    actors = [user_id, *await assignments.user_group_ids(session, user_id)]
    grants = (
        await session.execute(
            select(Assignment.target_id, Assignment.inherited).where(
                Assignment.actor_id.in_(actors), Assignment.target_type != "system"
            )
        )
    ).all()
    projects = list(await session.scalars(select(Project).order_by(Project.name)))
    direct = {g.target_id for g in grants if not g.inherited}
    inherited = {g.target_id for g in grants if g.inherited}
    parents = {p.id: p.parent_id for p in projects}

    def reached(project: Project) -> bool:
        if project.id in direct or project.domain_id in inherited:
            return True
        ancestor = parents.get(project.id)
        while ancestor:
            if ancestor in inherited:
                return True
            ancestor = parents.get(ancestor)
        return False

    return [p for p in projects if reached(p)]


def _wanted(project: Project, filters: dict[str, Any]) -> bool:
    return all(getattr(project, k) == v for k, v in filters.items() if k in COLUMN_FILTERS)
