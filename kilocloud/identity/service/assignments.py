"""Role assignments: effective roles of a user on a target (groups, inheritance, implied roles)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.identity.models import Assignment, GroupMembership, ImpliedRole, Project, Role


async def user_group_ids(session: AsyncSession, user_id: str) -> list[str]:
    """Ids of the groups `user_id` belongs to."""
    rows = await session.scalars(
        select(GroupMembership.group_id).where(GroupMembership.user_id == user_id)
    )
    return list(rows)


async def project_ancestry(session: AsyncSession, project_id: str) -> tuple[str, list[str]]:
    """The project's domain id and the ids of its ancestors, nearest first."""
    ancestors: list[str] = []
    project = await session.get(Project, project_id)
    domain_id = project.domain_id if project else ""
    while project is not None and project.parent_id:
        ancestors.append(project.parent_id)
        project = await session.get(Project, project.parent_id)
    return domain_id, ancestors


async def direct_role_ids(
    session: AsyncSession, user_id: str, target_type: str, target_id: str
) -> set[str]:
    """Role ids granted on the target to the user or their groups, inherited ones included."""
    actors = [user_id, *await user_group_ids(session, user_id)]
    targets: list[tuple[str, str, bool]] = [(target_type, target_id, False)]
    if target_type == "project":
        domain_id, ancestors = await project_ancestry(session, target_id)
        targets += [("project", a, True) for a in ancestors] + [("domain", domain_id, True)]
    clauses = [
        (Assignment.target_type == t) & (Assignment.target_id == i) & (Assignment.inherited == inh)
        for t, i, inh in targets
    ]
    rows = await session.scalars(
        select(Assignment.role_id).where(Assignment.actor_id.in_(actors), or_(*clauses))
    )
    return set(rows)


async def expand_implied(session: AsyncSession, role_ids: Iterable[str]) -> list[Role]:
    """The roles plus every role they imply, transitively, in a stable order."""
    rules = (await session.execute(select(ImpliedRole))).all()
    implies: dict[str, list[str]] = {}
    for (rule,) in rules:
        implies.setdefault(rule.prior_role_id, []).append(rule.implied_role_id)
    seen: list[str] = []
    stack = list(role_ids)
    while stack:
        rid = stack.pop()
        if rid not in seen:
            seen.append(rid)
            stack.extend(implies.get(rid, []))
    if not seen:
        return []
    roles = await session.scalars(select(Role).where(Role.id.in_(seen)))
    return sorted(roles, key=lambda r: r.name)


async def effective_roles(
    session: AsyncSession, user_id: str, target_type: str, target_id: str
) -> list[Role]:
    """Every role the user holds on the target, implied roles included."""
    direct = await direct_role_ids(session, user_id, target_type, target_id)
    return await expand_implied(session, direct)
