"""The token document Keystone returns, rendered from a payload and the current data."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import NotFound, Unauthorized
from kilocloud.identity.fernet import TokenPayload
from kilocloud.identity.models import ApplicationCredential, Domain, Project, Trust, User
from kilocloud.identity.service import assignments

NOT_FOUND = "Could not find token."


def isotime(epoch: float) -> str:
    """Keystone's timestamp form: microseconds and a Z."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Rendered:
    """A token body plus what revocation checks need to know about it."""

    body: dict[str, Any]
    project_id: str | None
    domain_ids: frozenset[str]
    role_ids: frozenset[str]


def _domain_ref(domain: Domain) -> dict[str, str]:
    return {"id": domain.id, "name": domain.name}


async def _enabled_domain(session: AsyncSession, domain_id: str) -> Domain:
    domain = await session.get(Domain, domain_id)
    if domain is None or not domain.enabled:
        raise NotFound(NOT_FOUND)
    return domain


async def _scope(
    session: AsyncSession, payload: TokenPayload, body: dict[str, Any], user: User
) -> tuple[str, str, set[str]]:
    """Fill the scope part of `body`; return (target type, target id, extra domain ids)."""
    if payload.scope in ("project", "trust"):
        project = await session.get(Project, payload.scope_id)
        if project is None or not project.enabled:
            raise NotFound(NOT_FOUND)
        domain = await _enabled_domain(session, project.domain_id)
        body["project"] = {"id": project.id, "name": project.name, "domain": _domain_ref(domain)}
        body["is_domain"] = False
        return "project", project.id, {domain.id}
    if payload.scope == "domain":
        domain = await _enabled_domain(session, payload.scope_id)
        body["domain"] = _domain_ref(domain)
        return "domain", domain.id, {domain.id}
    if payload.scope == "system":
        body["system"] = {"all": True}
        return "system", "all", set()
    return "", "", set()


async def _roles(
    session: AsyncSession, payload: TokenPayload, user: User, target: tuple[str, str]
) -> list[dict[str, str]]:
    if payload.trust_id:
        trust = await session.get(Trust, payload.trust_id)
        if trust is None or trust.deleted_at is not None:
            raise NotFound(NOT_FOUND)
        held = await assignments.effective_roles(
            session, trust.trustor_user_id, target[0], target[1]
        )
        wanted = {r["id"] for r in trust.roles}
        roles = await assignments.expand_implied(session, wanted & {r.id for r in held})
    else:
        roles = await assignments.effective_roles(session, user.id, target[0], target[1])
    if payload.app_cred_id:
        cred = await session.get(ApplicationCredential, payload.app_cred_id)
        if cred is None:
            raise NotFound(NOT_FOUND)
        allowed = await assignments.expand_implied(session, [r["id"] for r in cred.roles])
        roles = [r for r in roles if r.id in {a.id for a in allowed}]
    if not roles:
        raise Unauthorized("The user has no role on the requested scope.")
    return [{"id": r.id, "name": r.name} for r in roles]


async def render(session: AsyncSession, payload: TokenPayload) -> Rendered:
    """The token body (without catalog) for `payload`, from the current identity data."""
    user = await session.get(User, payload.user_id)
    if user is None or not user.enabled:
        raise NotFound(NOT_FOUND)
    user_domain = await _enabled_domain(session, user.domain_id)
    body: dict[str, Any] = {
        "methods": payload.methods,
        "user": {
            "id": user.id,
            "name": user.name,
            "domain": _domain_ref(user_domain),
            "password_expires_at": None,
        },
        "audit_ids": payload.audit_ids,
        "expires_at": isotime(payload.expires_at),
        "issued_at": isotime(payload.issued_at),
    }
    target_type, target_id, domains = await _scope(session, payload, body, user)
    roles: list[dict[str, str]] = []
    if target_type:
        roles = await _roles(session, payload, user, (target_type, target_id))
        body["roles"] = roles
    if payload.trust_id:
        trust = await session.get(Trust, payload.trust_id)
        body["OS-TRUST:trust"] = {
            "id": trust.id,
            "impersonation": trust.impersonation,
            "trustor_user": {"id": trust.trustor_user_id},
            "trustee_user": {"id": trust.trustee_user_id},
        }
    if payload.app_cred_id:
        cred = await session.get(ApplicationCredential, payload.app_cred_id)
        body["application_credential"] = {
            "id": cred.id,
            "name": cred.name,
            "restricted": not cred.unrestricted,
        }
    return Rendered(
        body=body,
        project_id=body.get("project", {}).get("id"),
        domain_ids=frozenset({user_domain.id, *domains}),
        role_ids=frozenset(r["id"] for r in roles),
    )
