"""Auth methods of POST /v3/auth/tokens: password, token and application_credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import BadRequest, Unauthorized
from kilocloud.identity import fernet, passwords
from kilocloud.identity.models import ApplicationCredential, Domain, User, epoch, utcnow
from kilocloud.identity.service import Identity

AUTH_FAILED = "The request you have made requires authentication."


@dataclass
class AuthResult:
    """Who authenticated, how, and what limits the resulting token inherits."""

    user: User
    methods: list[str]
    expires_at: float | None = None
    audit_chain_id: str | None = None
    app_cred: ApplicationCredential | None = None
    parent: fernet.TokenPayload | None = None


def _require_dict(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input for field '{where}': expected an object.")
    return value


async def find_domain(session: AsyncSession, ref: Any, where: str) -> Domain:
    """The domain a {"id"} or {"name"} reference names; 401 if there is none."""
    ref = _require_dict(ref, where)
    if "id" in ref:
        domain = await session.get(Domain, str(ref["id"]))
    elif "name" in ref:
        domain = await session.scalar(select(Domain).where(Domain.name == str(ref["name"])))
    else:
        raise BadRequest(f"Invalid input for field '{where}': an id or a name is required.")
    if domain is None or not domain.enabled:
        raise Unauthorized(AUTH_FAILED)
    return domain


async def find_user(session: AsyncSession, ref: Any) -> User | None:
    """The user a {"id"} or {"name", "domain"} reference names, if any."""
    ref = _require_dict(ref, "user")
    if "id" in ref:
        return await session.get(User, str(ref["id"]))
    if "name" not in ref or "domain" not in ref:
        raise BadRequest("Invalid input for field 'user': an id, or a name and a domain, required.")
    domain = await find_domain(session, ref["domain"], "user.domain")
    return await session.scalar(
        select(User).where(User.domain_id == domain.id, User.name == str(ref["name"]))
    )


async def check_user_enabled(session: AsyncSession, user: User | None) -> User:
    """The user, if it and its domain are enabled; 401 otherwise."""
    if user is None or not user.enabled:
        raise Unauthorized(AUTH_FAILED)
    domain = await session.get(Domain, user.domain_id)
    if domain is None or not domain.enabled:
        raise Unauthorized(AUTH_FAILED)
    return user


async def by_password(idn: Identity, session: AsyncSession, data: Any) -> AuthResult:
    """Authenticate a user by name or id and password."""
    data = _require_dict(data, "password")
    ref = _require_dict(data.get("user"), "password.user")
    password = ref.get("password")
    if not isinstance(password, str):
        raise BadRequest("Invalid input for field 'password.user.password'.")
    user = await find_user(session, ref)
    rounds = idn.conf.identity.password_hash_rounds
    ok = await passwords.verify_password(password, user.password_hash if user else None, rounds)
    if not ok:
        raise Unauthorized(AUTH_FAILED)
    return AuthResult(user=await check_user_enabled(session, user), methods=["password"])


async def by_application_credential(idn: Identity, session: AsyncSession, data: Any) -> AuthResult:
    """Authenticate with an application credential's id (or name and user) and secret."""
    data = _require_dict(data, "application_credential")
    secret = data.get("secret")
    if not isinstance(secret, str):
        raise BadRequest("Invalid input for field 'application_credential.secret'.")
    if "id" in data:
        cred = await session.get(ApplicationCredential, str(data["id"]))
    elif "name" in data and "user" in data:
        user = await find_user(session, data["user"])
        cred = user and await session.scalar(
            select(ApplicationCredential).where(
                ApplicationCredential.user_id == user.id,
                ApplicationCredential.name == str(data["name"]),
            )
        )
    else:
        raise BadRequest("Invalid input for 'application_credential': id, or name and user.")
    rounds = idn.conf.identity.password_hash_rounds
    ok = await passwords.verify_password(secret, cred.secret_hash if cred else None, rounds)
    if not ok or (cred.expires_at is not None and cred.expires_at <= utcnow()):
        raise Unauthorized(AUTH_FAILED)
    user = await check_user_enabled(session, await session.get(User, cred.user_id))
    expires = epoch(cred.expires_at)
    return AuthResult(user, ["application_credential"], expires_at=expires, app_cred=cred)
