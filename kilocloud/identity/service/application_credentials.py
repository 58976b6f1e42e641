"""Application credentials: a secret shown once, a subset of the creator's roles, an expiry."""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest, Forbidden
from kilocloud.identity import passwords
from kilocloud.identity.models import ApplicationCredential, User, utcnow
from kilocloud.identity.service import Identity, records


def _target(user_id: str) -> dict[str, Any]:
    return {"target": {"user": {"id": user_id}}}


def parse_time(value: str | None, field: str) -> datetime.datetime | None:
    """A naive UTC datetime from an ISO 8601 string; 400 naming `field` if it is not one."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise records.bad_field(field, f"{value!r} is not an ISO 8601 time.") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC).replace(tzinfo=None)
    return moment


def pick_roles(
    held: list[dict[str, str]], wanted: list[dict[str, str]] | None, what: str
) -> list[dict[str, str]]:
    """The roles of `wanted` (by id or name) among `held`; all of `held` if none are named."""
    if not wanted:
        return held
    picked = []
    for ref in wanted:
        match = [r for r in held if r["id"] == ref.get("id") or r["name"] == ref.get("name")]
        if not match:
            raise Forbidden(f"The {what} cannot be given a role its creator does not hold.")
        picked.append(match[0])
    return list({r["id"]: r for r in picked}.values())


def _check_creator(ctx: RequestContext, user_id: str) -> None:
    if ctx.user_id != user_id:
        raise Forbidden("Application credentials can only be created for yourself.")
    if not ctx.project_id:
        raise Forbidden("A project-scoped token is required to create an application credential.")
    if ctx.app_cred_id or ctx.trust_id:
        raise Forbidden("A token from an application credential or a trust cannot create one.")


async def _check_name(session: AsyncSession, user_id: str, name: str) -> None:
    taken = await session.scalar(
        select(ApplicationCredential.id).where(
            ApplicationCredential.user_id == user_id, ApplicationCredential.name == name
        )
    )
    if taken:
        raise records.duplicate("application_credential", f"found with name {name}")


async def create(
    idn: Identity, ctx: RequestContext, user_id: str, ref: dict[str, Any]
) -> tuple[ApplicationCredential, str]:
    """Create an application credential for the caller; returns it and its secret."""
    idn.enforce(ctx, "create_application_credential", _target(user_id))
    _check_creator(ctx, user_id)
    expires_at = parse_time(ref.get("expires_at"), "application_credential.expires_at")
    if expires_at is not None and expires_at <= utcnow():
        raise BadRequest("Invalid input for field 'expires_at': it is in the past.")
    held = [{"id": i, "name": n} for i, n in zip(ctx.role_ids, ctx.roles, strict=True)]
    roles = pick_roles(held, ref.get("roles"), "application credential")
    secret = ref.get("secret") or secrets.token_urlsafe(64)
    hashed = await passwords.hash_password(secret, idn.conf.identity.password_hash_rounds)
    async with records.writing(idn, "application_credential") as session:
        await records.get(session, User, user_id, "user")
        await _check_name(session, user_id, ref["name"])
        cred = ApplicationCredential(
            id=uuid.uuid4().hex,
            name=ref["name"],
            user_id=user_id,
            project_id=ctx.project_id,
            secret_hash=hashed,
            description=ref.get("description"),
            expires_at=expires_at,
            unrestricted=bool(ref.get("unrestricted")),
            roles=roles,
            access_rules=[],
        )
        session.add(cred)
    await idn.notify(ctx, "application_credential.created", cred.id)
    return cred, secret


async def _own(idn: Identity, user_id: str, cred_id: str) -> ApplicationCredential:
    async with idn.db.read() as session:
        cred = await records.get(session, ApplicationCredential, cred_id, "application credential")
    if cred.user_id != user_id:
        raise records.not_found("application credential", cred_id)
    return cred


async def get(
    idn: Identity, ctx: RequestContext, user_id: str, cred_id: str
) -> ApplicationCredential:
    """One application credential of the user."""
    idn.enforce(ctx, "get_application_credential", _target(user_id))
    return await _own(idn, user_id, cred_id)


async def listing(
    idn: Identity, ctx: RequestContext, user_id: str, name: str | None
) -> list[ApplicationCredential]:
    """The user's application credentials, optionally only the one called `name`."""
    idn.enforce(ctx, "list_application_credentials", _target(user_id))
    query = select(ApplicationCredential).where(ApplicationCredential.user_id == user_id)
    if name is not None:
        query = query.where(ApplicationCredential.name == name)
    async with idn.db.read() as session:
        await records.get(session, User, user_id, "user")
        return list(await session.scalars(query.order_by(ApplicationCredential.name)))


async def delete_credential(idn: Identity, ctx: RequestContext, user_id: str, cred_id: str) -> None:
    """Delete an application credential; tokens obtained with it stop validating."""
    idn.enforce(ctx, "delete_application_credential", _target(user_id))
    await _own(idn, user_id, cred_id)
    async with records.writing(idn, "application_credential") as session:
        cred = await session.get(ApplicationCredential, cred_id)
        if cred is None:
            raise records.not_found("application credential", cred_id)
        await session.delete(cred)
        await idn.revocations.add(session, app_cred_id=cred_id)
    await idn.notify(ctx, "application_credential.deleted", cred_id)
