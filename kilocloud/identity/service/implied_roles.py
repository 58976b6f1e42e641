"""Implied roles: a prior role brings every role it implies, transitively."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Forbidden, NotFound
from kilocloud.identity.models import ImpliedRole, Role
from kilocloud.identity.service import Identity, records

# a role no other role may imply, as Keystone's [assignment] prohibited_implied_role
PROHIBITED = ("admin",)


async def _pair(session: AsyncSession, prior_id: str, implied_id: str) -> tuple[Role, Role]:
    prior = await records.get(session, Role, prior_id, "role")
    implied = await records.get(session, Role, implied_id, "role")
    return prior, implied


async def _implied_by(session: AsyncSession, role_id: str) -> set[str]:
    """Every role `role_id` implies, transitively."""
    rows = (await session.execute(select(ImpliedRole))).scalars().all()
    seen: set[str] = set()
    stack = [role_id]
    while stack:
        current = stack.pop()
        for rule in rows:
            if rule.prior_role_id == current and rule.implied_role_id not in seen:
                seen.add(rule.implied_role_id)
                stack.append(rule.implied_role_id)
    return seen


async def create(
    idn: Identity, ctx: RequestContext, prior_id: str, implied_id: str
) -> tuple[Role, Role]:
    """Make `prior_id` imply `implied_id`."""
    idn.enforce(ctx, "create_implied_role")
    async with records.writing(idn, "implied_role") as session:
        prior, implied = await _pair(session, prior_id, implied_id)
        if implied.name in PROHIBITED:
            raise Forbidden(f"{implied.name} may not be implied by another role.")
        if implied.domain_id:
            raise Forbidden("A domain-specific role may not be implied.")
        if prior_id == implied_id or prior_id in await _implied_by(session, implied_id):
            raise BadRequest(f"Implying {implied.name} from {prior.name} would make a loop.")
        if await session.get(ImpliedRole, (prior_id, implied_id)) is None:
            session.add(ImpliedRole(prior_role_id=prior_id, implied_role_id=implied_id))
    await idn.notify(ctx, "implied_role.created", prior_id)
    return prior, implied


async def get(
    idn: Identity, ctx: RequestContext, prior_id: str, implied_id: str
) -> tuple[Role, Role]:
    """The inference rule `prior_id` -> `implied_id`; 404 if there is none."""
    idn.enforce(ctx, "get_implied_role")
    async with idn.db.read() as session:
        prior, implied = await _pair(session, prior_id, implied_id)
        if await session.get(ImpliedRole, (prior_id, implied_id)) is None:
            raise NotFound(f"{implied_id} is not an implied role of {prior_id}.")
    return prior, implied


async def delete_rule(idn: Identity, ctx: RequestContext, prior_id: str, implied_id: str) -> None:
    """Remove the inference rule."""
    idn.enforce(ctx, "delete_implied_role")
    async with records.writing(idn, "implied_role") as session:
        await _pair(session, prior_id, implied_id)
        rule = await session.get(ImpliedRole, (prior_id, implied_id))
        if rule is None:
            raise NotFound(f"{implied_id} is not an implied role of {prior_id}.")
        await session.delete(rule)
        await idn.revocations.add(session, role_id=prior_id)
    await idn.notify(ctx, "implied_role.deleted", prior_id)


async def of_role(idn: Identity, ctx: RequestContext, prior_id: str) -> tuple[Role, list[Role]]:
    """A role and the roles it directly implies."""
    idn.enforce(ctx, "list_implied_roles")
    async with idn.db.read() as session:
        prior = await records.get(session, Role, prior_id, "role")
        return prior, await _direct(session, prior_id)


async def _direct(session: AsyncSession, prior_id: str) -> list[Role]:
    query = (
        select(Role)
        .join(ImpliedRole, ImpliedRole.implied_role_id == Role.id)
        .where(ImpliedRole.prior_role_id == prior_id)
        .order_by(Role.name)
    )
    return list(await session.scalars(query))


async def inferences(idn: Identity, ctx: RequestContext) -> list[tuple[Role, list[Role]]]:
    """Every role that implies others, with the roles it directly implies."""
    idn.enforce(ctx, "list_role_inference_rules")
    async with idn.db.read() as session:
        priors = await session.scalars(
            select(Role).where(Role.id.in_(select(ImpliedRole.prior_role_id))).order_by(Role.name)
        )
        return [(prior, await _direct(session, prior.id)) for prior in list(priors)]
