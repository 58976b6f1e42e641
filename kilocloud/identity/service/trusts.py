"""OS-TRUST trusts: a trustor delegates some of its roles on a project to a trustee."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden, Unauthorized
from kilocloud.identity.models import Project, Role, Trust, User, utcnow
from kilocloud.identity.service import Identity, assignments, records
from kilocloud.identity.service.application_credentials import parse_time, pick_roles


def _target(trust: Trust) -> dict[str, Any]:
    people = {"trustor_user_id": trust.trustor_user_id, "trustee_user_id": trust.trustee_user_id}
    return {"target": {"trust": people}}


async def _held(session: AsyncSession, user_id: str, project_id: str | None) -> list[dict]:
    if not project_id:
        return []
    await records.get(session, Project, project_id, "project")
    roles = await assignments.effective_roles(session, user_id, "project", project_id)
    return [{"id": r.id, "name": r.name} for r in roles]


async def _wanted_roles(session: AsyncSession, refs: list[dict] | None) -> list[dict] | None:
    """Named roles resolved to {"id", "name"}: an unknown role is a 404."""
    if not refs:
        return refs
    found = []
    for ref in refs:
        role = await (
            records.get(session, Role, ref["id"], "role")
            if "id" in ref
            else session.scalar(select(Role).where(Role.name == ref["name"], Role.domain_id == ""))
        )
        if role is None:
            raise records.not_found("role", ref["name"])
        found.append({"id": role.id, "name": role.name})
    return found


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Trust:
    """Create a trust from the caller (who must be the trustor) to a trustee."""
    idn.enforce(ctx, "create_trust", {"trust": {"trustor_user_id": ref["trustor_user_id"]}})
    if ctx.trust_id or ctx.app_cred_id:
        raise Forbidden("A trust or application credential token cannot create a trust.")
    expires_at = parse_time(ref.get("expires_at"), "trust.expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise records.bad_field("trust.expires_at", "it is in the past.")
    async with records.writing(idn, "trust") as session:
        await records.get(session, User, ref["trustee_user_id"], "user")
        held = await _held(session, ctx.user_id, ref.get("project_id"))
        wanted = await _wanted_roles(session, ref.get("roles"))
        if wanted and not ref.get("project_id"):
            raise records.bad_field("trust.project_id", "roles need a project.")
        roles = pick_roles(held, wanted, "trust") if wanted else []
        trust = Trust(
            id=uuid.uuid4().hex,
            trustor_user_id=ref["trustor_user_id"],
            trustee_user_id=ref["trustee_user_id"],
            project_id=ref.get("project_id"),
            impersonation=ref["impersonation"],
            roles=roles,
            expires_at=expires_at,
            remaining_uses=ref.get("remaining_uses"),
            allow_redelegation=bool(ref.get("allow_redelegation")),
            redelegation_count=ref.get("redelegation_count"),
        )
        session.add(trust)
    await idn.notify(ctx, "OS-TRUST:trust.created", trust.id)
    return trust


async def _live(session: AsyncSession, trust_id: str) -> Trust:
    trust = await session.get(Trust, trust_id)
    if trust is None or trust.deleted_at is not None:
        raise records.not_found("trust", trust_id)
    return trust


async def get(idn: Identity, ctx: RequestContext, trust_id: str, rule: str = "get_trust") -> Trust:
    """One trust, to its trustor, its trustee or an admin."""
    async with idn.db.read() as session:
        trust = await _live(session, trust_id)
    idn.enforce(ctx, rule, _target(trust))
    return trust


async def listing(idn: Identity, ctx: RequestContext, filters: dict[str, Any]) -> list[Trust]:
    """Trusts, filtered by `trustor_user_id` and/or `trustee_user_id`."""
    people = {k: v for k, v in filters.items() if k in ("trustor_user_id", "trustee_user_id")}
    if "trustor_user_id" in people:
        idn.enforce(ctx, "list_trusts_for_trustor", {"target": {"trust": people}})
    elif "trustee_user_id" in people:
        idn.enforce(ctx, "list_trusts_for_trustee", {"target": {"trust": people}})
    else:
        idn.enforce(ctx, "list_trusts")
    query = select(Trust).where(Trust.deleted_at.is_(None)).filter_by(**people)
    async with idn.db.read() as session:
        return list(await session.scalars(query.order_by(Trust.created_at)))


async def delete_trust(idn: Identity, ctx: RequestContext, trust_id: str) -> None:
    """Delete a trust (kept with deleted_at); tokens scoped to it stop validating."""
    async with records.writing(idn, "trust") as session:
        trust = await _live(session, trust_id)
        idn.enforce(ctx, "delete_trust", _target(trust))
        if not ctx.is_admin and ctx.user_id != trust.trustor_user_id:
            raise Forbidden("Only the trustor can delete a trust.")
        trust.deleted_at = utcnow()
        await idn.revocations.add(session, trust_id=trust_id)
    await idn.notify(ctx, "OS-TRUST:trust.deleted", trust_id)


async def consume(idn: Identity, trust_id: str) -> None:
    """Use up one of a trust's remaining uses; 401 once there are none left."""
    async with idn.db.write() as session:
        result = await session.execute(
            update(Trust)
            .where(
                Trust.id == trust_id,
                Trust.remaining_uses.is_not(None),
                Trust.remaining_uses > 0,
            )
            .values(remaining_uses=Trust.remaining_uses - 1)
        )
        if result.rowcount == 0:
            usable = await session.scalar(
                select(Trust.id).where(
                    Trust.id == trust_id,
                    or_(Trust.remaining_uses.is_(None), Trust.remaining_uses > 0),
                )
            )
            if usable is None:
                raise Unauthorized("The trust has no remaining uses.")
