"""GET /v3/role_assignments: direct grants, or effective ones (groups, inheritance, implied)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest
from kilocloud.identity.models import (
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


@dataclass(frozen=True)
class Entry:
    """One (effective) assignment, and the grant it comes from."""

    actor_type: str
    actor_id: str
    target_type: str
    target_id: str
    role_id: str
    inherited: bool
    origin: Assignment
    group_id: str | None = None  # set when it reaches the user through this group
    prior_role_id: str | None = None  # set when it is implied by this role


@dataclass
class Query:
    """The filters of a role assignment listing."""

    user_id: str | None = None
    group_id: str | None = None
    role_id: str | None = None
    project_id: str | None = None
    domain_id: str | None = None
    system: bool = False
    inherited_only: bool = False
    effective: bool = False
    include_subtree: bool = False
    subtree: set[str] = field(default_factory=set)

    def check(self) -> None:
        """400 for combinations Keystone refuses."""
        if self.effective and self.group_id:
            raise BadRequest("Combining effective and group filter will always be empty.")
        if self.project_id and self.domain_id:
            raise BadRequest("Specify at most one of scope.project.id and scope.domain.id.")
        if self.include_subtree and not self.project_id:
            raise BadRequest("include_subtree requires scope.project.id.")


def _entry(row: Assignment) -> Entry:
    fields = ("actor_type", "actor_id", "target_type", "target_id", "role_id", "inherited")
    return Entry(**{f: getattr(row, f) for f in fields}, origin=row)


async def _rows(session: AsyncSession, q: Query) -> list[Assignment]:
    query = select(Assignment)
    if q.user_id:
        groups = select(GroupMembership.group_id).where(GroupMembership.user_id == q.user_id)
        actors = [q.user_id, *(await session.scalars(groups))] if q.effective else [q.user_id]
        query = query.where(Assignment.actor_id.in_(actors))
    if q.group_id:
        query = query.where(Assignment.actor_type == "group", Assignment.actor_id == q.group_id)
    return list(await session.scalars(query))


async def _expand_groups(session: AsyncSession, entries: list[Entry], q: Query) -> list[Entry]:
    members: dict[str, list[str]] = {}
    for m in await session.scalars(select(GroupMembership)):
        members.setdefault(m.group_id, []).append(m.user_id)
    found = []
    for e in entries:
        if e.actor_type == "user":
            found.append(e)
            continue
        for user_id in members.get(e.actor_id, []):
            if q.user_id in (None, user_id):
                via = {"actor_type": "user", "actor_id": user_id, "group_id": e.actor_id}
                found.append(dataclasses.replace(e, **via))
    return found


async def _expand_inherited(session: AsyncSession, entries: list[Entry]) -> list[Entry]:
    projects = (
        await session.execute(select(Project.id, Project.domain_id, Project.parent_id))
    ).all()
    parents = {p.id: p.parent_id for p in projects}

    def below(target_type: str, target_id: str) -> list[str]:
        if target_type == "domain":
            return [p.id for p in projects if p.domain_id == target_id]
        found = []
        for p in projects:
            ancestor = parents.get(p.id)
            while ancestor and ancestor != target_id:
                ancestor = parents.get(ancestor)
            if ancestor == target_id:
                found.append(p.id)
        return found

    result = [e for e in entries if not e.inherited]
    for e in entries:
        for project_id in below(e.target_type, e.target_id) if e.inherited else []:
            on = {"target_type": "project", "target_id": project_id, "inherited": False}
            result.append(dataclasses.replace(e, **on))
    return result


async def _expand_implied(session: AsyncSession, entries: list[Entry]) -> list[Entry]:
    implies: dict[str, list[str]] = {}
    for rule in await session.scalars(select(ImpliedRole)):
        implies.setdefault(rule.prior_role_id, []).append(rule.implied_role_id)
    result = []
    for e in entries:
        result.append(e)
        seen, stack = {e.role_id}, [e.role_id]
        while stack:
            prior = stack.pop()
            for implied in implies.get(prior, []):
                if implied not in seen:
                    seen.add(implied)
                    stack.append(implied)
                    result.append(dataclasses.replace(e, role_id=implied, prior_role_id=prior))
    return result


def _wanted(e: Entry, q: Query) -> bool:
    if q.role_id and e.role_id != q.role_id:
        return False
    if q.project_id and not (e.target_type == "project" and e.target_id in q.subtree):
        return False
    if q.domain_id and not (e.target_type == "domain" and e.target_id == q.domain_id):
        return False
    if q.system and e.target_type != "system":
        return False
    return not (q.inherited_only and not e.inherited)


async def listing(idn: Identity, ctx: RequestContext, q: Query) -> list[Entry]:
    """The assignments matching `q`, effective ones when asked."""
    q.check()
    async with idn.db.read() as session:
        domain_id = q.domain_id
        if q.project_id:
            project = await records.get(session, Project, q.project_id, "project")
            domain_id = project.domain_id
            q.subtree = {q.project_id}
            if q.include_subtree:
                q.subtree |= {p for p, _ in await _descendants(session, q.project_id)}
        idn.enforce(ctx, "list_role_assignments", {"target": {"domain_id": domain_id}})
        entries = [_entry(r) for r in await _rows(session, q)]
        if q.effective:
            entries = await _expand_groups(session, entries, q)
            entries = await _expand_inherited(session, entries)
            entries = await _expand_implied(session, entries)
    return list(dict.fromkeys(e for e in entries if _wanted(e, q)))


async def _descendants(session: AsyncSession, project_id: str) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    frontier = [project_id]
    while frontier:
        rows = (
            await session.execute(
                select(Project.id, Project.parent_id).where(Project.parent_id.in_(frontier))
            )
        ).all()
        found += [(r.id, r.parent_id) for r in rows]
        frontier = [r.id for r in rows]
    return found


async def names(idn: Identity, entries: list[Entry]) -> dict[tuple[str, str], dict[str, Any]]:
    """{(kind, id): {"name", "domain"?}} for every role, actor and target in `entries`."""
    wanted: dict[str, set[str]] = {}
    for e in entries:
        wanted.setdefault("role", set()).add(e.role_id)
        wanted.setdefault(e.actor_type, set()).add(e.actor_id)
        wanted.setdefault(e.target_type, set()).add(e.target_id)
    models = {"role": Role, "user": User, "group": Group, "project": Project, "domain": Domain}
    found: dict[tuple[str, str], dict[str, Any]] = {}
    async with idn.db.read() as session:
        domains = {d.id: d.name for d in await session.scalars(select(Domain))}
        for kind, ids in wanted.items():
            if kind == "system":
                continue
            model = models[kind]
            for row in await session.scalars(select(model).where(model.id.in_(ids))):
                ref: dict[str, Any] = {"name": row.name}
                owner = getattr(row, "domain_id", None)
                if owner:
                    ref["domain"] = {"id": owner, "name": domains.get(owner)}
                found[(kind, row.id)] = ref
    return found
