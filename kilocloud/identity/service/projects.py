"""Projects: hierarchy under a parent in one domain, tags, and the filters Keystone offers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Forbidden
from kilocloud.identity.models import ApplicationCredential, Assignment, Domain, Project
from kilocloud.identity.service import Identity, records

COLUMNS = ("name", "domain_id", "parent_id", "description", "enabled", "tags")
IGNORED = ("is_domain", "options")
MAX_DEPTH = 5


def default_domain(idn: Identity, ctx: RequestContext) -> str:
    """The domain of a new entity that names none: the token's, else the default domain."""
    return ctx.domain_id or ctx.project_domain_id or idn.conf.identity.default_domain_id


async def _check_name(session: AsyncSession, name: str, domain_id: str, own: str = "") -> None:
    found = await session.scalar(
        select(Project.id).where(Project.domain_id == domain_id, Project.name == name)
    )
    if found is not None and found != own:
        raise records.duplicate("project", f"found with name {name} at domain ID {domain_id}")


async def _placement(session: AsyncSession, ref: dict[str, Any], default: str) -> tuple[str, str]:
    """(domain id, parent id or "") of a new project, checked."""
    parent_id = ref.get("parent_id") or ""
    domain_id = ref.get("domain_id") or ""
    if parent_id and not await session.get(Project, parent_id):
        domain = await session.get(Domain, parent_id)
        if domain is None:
            raise records.not_found("project", parent_id)
        domain_id, parent_id = domain_id or domain.id, ""
    if parent_id:
        parent = await session.get(Project, parent_id)
        if domain_id and domain_id != parent.domain_id:
            raise Forbidden("Cannot create a project in a domain other than its parent's.")
        if not parent.enabled:
            raise Forbidden("Cannot create a project under a disabled parent.")
        if len(await ancestors(session, parent_id)) + 2 > MAX_DEPTH:
            raise Forbidden(f"The project hierarchy would exceed {MAX_DEPTH} levels.")
        domain_id = parent.domain_id
    domain_id = domain_id or default
    await records.get(session, Domain, domain_id, "domain")
    return domain_id, parent_id


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Project:
    """Create a project."""
    domain_id = ref.get("domain_id") or default_domain(idn, ctx)
    idn.enforce(ctx, "create_project", {"target": {"project": {"domain_id": domain_id}}})
    async with records.writing(idn, "project") as session:
        domain_id, parent_id = await _placement(session, ref, domain_id)
        await _check_name(session, ref["name"], domain_id)
        project = Project(
            id=uuid.uuid4().hex,
            name=ref["name"],
            domain_id=domain_id,
            parent_id=parent_id or None,
            description=ref.get("description"),
            enabled=ref.get("enabled", True),
            tags=ref.get("tags", []),
            extra=records.extra_of(ref, (*COLUMNS, *IGNORED)),
        )
        session.add(project)
    await idn.notify(ctx, "project.created", project.id)
    return project


async def get(idn: Identity, ctx: RequestContext, project_id: str) -> Project:
    """One project."""
    async with idn.db.read() as session:
        project = await session.get(Project, project_id)
    target = {"id": project_id, "domain_id": project.domain_id if project else None}
    idn.enforce(
        ctx, "get_project", {"target": {"project": target, "domain_id": target["domain_id"]}}
    )
    if project is None:
        raise records.not_found("project", project_id)
    return project


async def ancestors(session: AsyncSession, project_id: str) -> list[Project]:
    """The project's ancestors, nearest first."""
    found: list[Project] = []
    project = await session.get(Project, project_id)
    while project is not None and project.parent_id:
        project = await session.get(Project, project.parent_id)
        if project is not None:
            found.append(project)
    return found


async def subtree(session: AsyncSession, project_id: str) -> list[Project]:
    """Every descendant of the project, breadth first."""
    found: list[Project] = []
    frontier = [project_id]
    while frontier:
        rows = list(await session.scalars(select(Project).where(Project.parent_id.in_(frontier))))
        found += rows
        frontier = [p.id for p in rows]
    return found


async def hierarchy(
    idn: Identity, project_id: str, parents: bool, children: bool
) -> dict[str, list[Project]]:
    """The parents and/or subtree lists GET /v3/projects/{id} adds when asked."""
    async with idn.db.read() as session:
        found: dict[str, list[Project]] = {}
        if parents:
            found["parents"] = await ancestors(session, project_id)
        if children:
            found["subtree"] = await subtree(session, project_id)
        return found


async def update(
    idn: Identity, ctx: RequestContext, project_id: str, ref: dict[str, Any]
) -> Project:
    """Change a project; disabling it revokes the tokens scoped to it."""
    idn.enforce(ctx, "update_project", {"target": {"project": {"id": project_id}}})
    async with records.writing(idn, "project") as session:
        project = await records.get(session, Project, project_id, "project")
        for key in ("domain_id", "parent_id"):
            if key in ref and ref[key] != getattr(project, key):
                raise BadRequest(f"Invalid input for field 'project.{key}': it cannot change.")
        if "name" in ref:
            await _check_name(session, ref["name"], project.domain_id, project_id)
        if ref.get("enabled") is False and any(
            p.enabled for p in await subtree(session, project_id)
        ):
            raise Forbidden("Cannot disable a project whose subtree has enabled projects.")
        for key in ("name", "description", "enabled", "tags"):
            if key in ref:
                setattr(project, key, ref[key])
        project.extra = {**project.extra, **records.extra_of(ref, (*COLUMNS, *IGNORED))}
        if ref.get("enabled") is False:
            await idn.revocations.add(session, project_id=project_id)
    await idn.notify(ctx, "project.updated", project_id)
    return project


async def delete_project(idn: Identity, ctx: RequestContext, project_id: str) -> None:
    """Delete a project without children, its role assignments and application credentials."""
    idn.enforce(ctx, "delete_project", {"target": {"project": {"id": project_id}}})
    async with records.writing(idn, "project") as session:
        project = await records.get(session, Project, project_id, "project")
        if await session.scalar(select(Project.id).where(Project.parent_id == project_id)):
            raise Forbidden("Cannot delete a project that has children.")
        await session.execute(
            delete(Assignment).where(
                Assignment.target_type == "project", Assignment.target_id == project_id
            )
        )
        await session.execute(
            delete(ApplicationCredential).where(ApplicationCredential.project_id == project_id)
        )
        await session.delete(project)
        await idn.revocations.add(session, project_id=project_id)
    await idn.notify(ctx, "project.deleted", project_id)
