"""Users: bcrypt-hashed passwords, extra attributes, and self-service password changes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy import update as sql_update
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Unauthorized
from kilocloud.identity import passwords
from kilocloud.identity.models import (
    ApplicationCredential,
    Assignment,
    Domain,
    GroupMembership,
    Trust,
    User,
    utcnow,
)
from kilocloud.identity.service import Identity, records
from kilocloud.identity.service.projects import default_domain

COLUMNS = ("name", "domain_id", "enabled", "password", "default_project_id", "description")
IGNORED = ("options", "id")


def _target(user_id: str, domain_id: str | None = None) -> dict[str, Any]:
    return {"target": {"user": {"id": user_id}, "domain_id": domain_id}}


async def _check_name(session: AsyncSession, name: str, domain_id: str, own: str = "") -> None:
    found = await session.scalar(
        select(User.id).where(User.domain_id == domain_id, User.name == name)
    )
    if found is not None and found != own:
        raise records.duplicate("user", f"found with name {name} at domain ID {domain_id}")


async def _hash(idn: Identity, password: str | None) -> str | None:
    if password is None:
        return None
    return await passwords.hash_password(password, idn.conf.identity.password_hash_rounds)


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> User:
    """Create a user; the password is stored only as a bcrypt hash."""
    domain_id = ref.get("domain_id") or default_domain(idn, ctx)
    idn.enforce(ctx, "create_user", {"target": {"user": {"domain_id": domain_id}}})
    hashed = await _hash(idn, ref.get("password"))
    async with records.writing(idn, "user") as session:
        await records.get(session, Domain, domain_id, "domain")
        await _check_name(session, ref["name"], domain_id)
        user = User(
            id=uuid.uuid4().hex,
            name=ref["name"],
            domain_id=domain_id,
            enabled=ref.get("enabled", True),
            password_hash=hashed,
            password_created_at=utcnow() if hashed else None,
            default_project_id=ref.get("default_project_id"),
            description=ref.get("description"),
            extra=records.extra_of(ref, (*COLUMNS, *IGNORED)),
        )
        session.add(user)
    await idn.notify(ctx, "user.created", user.id)
    return user


async def get(idn: Identity, ctx: RequestContext, user_id: str) -> User:
    """One user."""
    async with idn.db.read() as session:
        user = await session.get(User, user_id)
    idn.enforce(ctx, "get_user", _target(user_id, user.domain_id if user else None))
    if user is None:
        raise records.not_found("user", user_id)
    return user


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[User], bool]:
    """Users matching `name`, `domain_id` and `enabled`."""
    idn.enforce(ctx, "list_users", {"target": {"domain_id": filters.get("domain_id")}})
    async with idn.db.read() as session:
        rows = await session.scalars(select(User).filter_by(**filters).order_by(User.name))
        return records.limited(idn, list(rows))


async def update(idn: Identity, ctx: RequestContext, user_id: str, ref: dict[str, Any]) -> User:
    """Change a user; disabling it or setting its password revokes its tokens."""
    idn.enforce(ctx, "update_user", _target(user_id))
    hashed = await _hash(idn, ref.get("password"))
    async with records.writing(idn, "user") as session:
        user = await records.get(session, User, user_id, "user")
        if "domain_id" in ref and ref["domain_id"] != user.domain_id:
            raise records.bad_field("user.domain_id", "a user cannot move to another domain.")
        if "name" in ref:
            await _check_name(session, ref["name"], user.domain_id, user_id)
        for key in ("name", "enabled", "default_project_id", "description"):
            if key in ref:
                setattr(user, key, ref[key])
        if "password" in ref:
            user.password_hash, user.password_created_at = hashed, utcnow()
        user.extra = {**user.extra, **records.extra_of(ref, (*COLUMNS, *IGNORED))}
        if ref.get("enabled") is False or "password" in ref:
            await idn.revocations.add(session, user_id=user_id)
    await idn.notify(ctx, "user.updated", user_id)
    return user


async def change_password(
    idn: Identity, ctx: RequestContext, user_id: str, original: str, password: str
) -> None:
    """A user's own password change; 401 when the original password is wrong."""
    idn.enforce(ctx, "change_password", _target(user_id))
    rounds = idn.conf.identity.password_hash_rounds
    async with idn.db.read() as session:
        user = await records.get(session, User, user_id, "user")
    if not await passwords.verify_password(original, user.password_hash, rounds):
        raise Unauthorized("The request you have made requires authentication.")
    hashed = await _hash(idn, password)
    async with records.writing(idn, "user") as session:
        await session.execute(
            sql_update(User)
            .where(User.id == user_id)
            .values(password_hash=hashed, password_created_at=utcnow())
        )
        await idn.revocations.add(session, user_id=user_id)
    await idn.notify(ctx, "user.updated", user_id)


async def delete_user(idn: Identity, ctx: RequestContext, user_id: str) -> None:
    """Delete a user with its memberships, role assignments and application credentials."""
    idn.enforce(ctx, "delete_user", _target(user_id))
    async with records.writing(idn, "user") as session:
        user = await records.get(session, User, user_id, "user")
        await session.execute(
            delete(Assignment).where(
                Assignment.actor_type == "user", Assignment.actor_id == user_id
            )
        )
        await session.execute(delete(GroupMembership).where(GroupMembership.user_id == user_id))
        await session.execute(
            delete(ApplicationCredential).where(ApplicationCredential.user_id == user_id)
        )
        await _end_trusts(idn, session, user_id)
        await session.delete(user)
        await idn.revocations.add(session, user_id=user_id)
    await idn.notify(ctx, "user.deleted", user_id)


async def _end_trusts(idn: Identity, session: AsyncSession, user_id: str) -> None:
    """Delete the trusts the user is part of; tokens scoped to them stop validating."""
    trusts = await session.scalars(
        select(Trust).where(
            or_(Trust.trustor_user_id == user_id, Trust.trustee_user_id == user_id),
            Trust.deleted_at.is_(None),
        )
    )
    for trust in list(trusts):
        trust.deleted_at = utcnow()
        await idn.revocations.add(session, trust_id=trust.id)
