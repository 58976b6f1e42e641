"""Role grants on a project, a domain or the system, to a user or a group."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden, NotFound
from kilocloud.identity.models import (
    Assignment,
    Domain,
    Group,
    GroupMembership,
    Project,
    Role,
    User,
)
from kilocloud.identity.service import Identity, records

ACTORS = {"user": User, "group": Group}
TARGETS = {"project": Project, "domain": Domain}
PRIMARY_KEY = ("actor_type", "actor_id", "target_type", "target_id", "role_id", "inherited")


@dataclass(frozen=True)
class Grant:
    """Who (actor) holds roles where (target), and whether they pass down to projects."""

    actor_type: str
    actor_id: str
    target_type: str
    target_id: str
    inherited: bool = False

    def rule(self, action: str) -> str:
        """The policy rule of `action` (create, revoke, check, list) on this kind of grant."""
        if self.target_type == "system":
            return f"{action}_system_grant{'s' if action == 'list' else ''}_for_{self.actor_type}"
        return f"{action}_grant{'s' if action == 'list' else ''}"

    def assignment(self, role_id: str) -> Assignment:
        """The assignment row granting `role_id`."""
        return Assignment(
            actor_type=self.actor_type,
            actor_id=self.actor_id,
            target_type=self.target_type,
            target_id=self.target_id,
            role_id=role_id,
            inherited=self.inherited,
        )

    def key(self, role_id: str) -> tuple:
        """The assignment's primary key."""
        row = self.assignment(role_id)
        return tuple(getattr(row, c) for c in PRIMARY_KEY)


async def _resolve(session: AsyncSession, grant: Grant) -> str:
    """Check that actor and target exist; the target's domain id ("" for the system)."""
    await records.get(session, ACTORS[grant.actor_type], grant.actor_id, grant.actor_type)
    if grant.target_type == "system":
        return ""
    target = await records.get(
        session, TARGETS[grant.target_type], grant.target_id, grant.target_type
    )
    return target.domain_id if grant.target_type == "project" else target.id


async def _role(session: AsyncSession, grant: Grant, role_id: str, domain_id: str) -> Role:
    role = await records.get(session, Role, role_id, "role")
    if role.domain_id and role.domain_id != domain_id:
        raise Forbidden("A domain-specific role can only be granted within its domain.")
    return role


def _target(idn: Identity, grant: Grant, domain_id: str) -> dict:
    return {
        "target": {
            grant.target_type: {"id": grant.target_id, "domain_id": domain_id},
            grant.actor_type: {"id": grant.actor_id},
            "domain_id": domain_id or None,
        }
    }


async def _enforce(idn: Identity, ctx: RequestContext, grant: Grant, action: str) -> str:
    async with idn.db.read() as session:
        try:
            domain_id = await _resolve(session, grant)
        except NotFound:
            idn.enforce(ctx, grant.rule(action), _target(idn, grant, ""))
            raise
    idn.enforce(ctx, grant.rule(action), _target(idn, grant, domain_id))
    return domain_id


async def create(idn: Identity, ctx: RequestContext, grant: Grant, role_id: str) -> None:
    """Grant `role_id` (no change if already granted)."""
    domain_id = await _enforce(idn, ctx, grant, "create")
    async with records.ensuring(idn) as session:
        await _role(session, grant, role_id, domain_id)
        if await session.get(Assignment, grant.key(role_id)) is None:
            session.add(grant.assignment(role_id))
    await _notify(idn, ctx, grant, role_id, "created")


async def check(idn: Identity, ctx: RequestContext, grant: Grant, role_id: str) -> None:
    """404 unless `role_id` is granted."""
    await _enforce(idn, ctx, grant, "check")
    async with idn.db.read() as session:
        await records.get(session, Role, role_id, "role")
        if await session.get(Assignment, grant.key(role_id)) is None:
            raise _no_grant(role_id, grant)


def _no_grant(role_id: str, grant: Grant) -> NotFound:
    return NotFound(
        f"Could not find role assignment with role: {role_id}, {grant.actor_type}: "
        f"{grant.actor_id}, {grant.target_type}: {grant.target_id}."
    )


async def listing(idn: Identity, ctx: RequestContext, grant: Grant) -> list[Role]:
    """Roles granted directly by this actor-target pair."""
    await _enforce(idn, ctx, grant, "list")
    async with idn.db.read() as session:
        query = (
            select(Role)
            .join(Assignment, Assignment.role_id == Role.id)
            .where(
                Assignment.actor_id == grant.actor_id,
                Assignment.target_type == grant.target_type,
                Assignment.target_id == grant.target_id,
                Assignment.inherited == grant.inherited,
            )
            .order_by(Role.name)
        )
        return list(await session.scalars(query))


async def revoke(idn: Identity, ctx: RequestContext, grant: Grant, role_id: str) -> None:
    """Remove the grant; tokens that carry the role on that scope stop validating."""
    await _enforce(idn, ctx, grant, "revoke")
    async with records.writing(idn, "role_assignment") as session:
        await records.get(session, Role, role_id, "role")
        row = await session.get(Assignment, grant.key(role_id))
        if row is None:
            raise _no_grant(role_id, grant)
        await session.delete(row)
        for user_id in await _users(session, grant):
            await idn.revocations.add(session, user_id=user_id, role_id=role_id, **_scope(grant))
    await _notify(idn, ctx, grant, role_id, "deleted")


async def _users(session: AsyncSession, grant: Grant) -> list[str]:
    if grant.actor_type == "user":
        return [grant.actor_id]
    rows = await session.scalars(
        select(GroupMembership.user_id).where(GroupMembership.group_id == grant.actor_id)
    )
    return list(rows)


def _scope(grant: Grant) -> dict[str, str]:
    """The scope part of the revocation event: exact for direct grants, wide for inherited."""
    if grant.inherited or grant.target_type == "system":
        return {}
    return {f"{grant.target_type}_id": grant.target_id}


async def _notify(
    idn: Identity, ctx: RequestContext, grant: Grant, role_id: str, verb: str
) -> None:
    """identity.role_assignment.<verb>, naming the role, actor and target as Keystone does."""
    payload = {
        "role": role_id,
        grant.actor_type: grant.actor_id,
        grant.target_type: grant.target_id,
        "inherited_to_projects": grant.inherited,
    }
    event = f"identity.role_assignment.{verb}"
    await idn.services.notifier.notify(ctx, "identity", event, payload)
