"""The scope a token is issued for: explicit, the default project, or a trust."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.errors import BadRequest, Forbidden, Unauthorized
from kilocloud.identity.models import Project, Trust, epoch, utcnow
from kilocloud.identity.service import Identity, assignments
from kilocloud.identity.service.authentication import AuthResult, find_domain


@dataclass
class Scope:
    """What the token will be scoped to."""

    kind: str = "unscoped"
    target_id: str | None = None
    trust_id: str | None = None
    user_id: str | None = None  # the trustor, for an impersonating trust
    expires_at: float | None = None


async def _project(session: AsyncSession, ref: Any) -> Project:
    if not isinstance(ref, dict):
        raise BadRequest("Invalid input for field 'scope.project'.")
    if "id" in ref:
        project = await session.get(Project, str(ref["id"]))
    elif "name" in ref and "domain" in ref:
        domain = await find_domain(session, ref["domain"], "scope.project.domain")
        project = await session.scalar(
            select(Project).where(Project.domain_id == domain.id, Project.name == str(ref["name"]))
        )
    else:
        raise BadRequest("Invalid input for field 'scope.project': an id, or a name and a domain.")
    if project is None or not project.enabled:
        raise Unauthorized("The request you have made requires authentication.")
    return project


async def _trust(session: AsyncSession, result: AuthResult, ref: Any) -> Scope:
    if not isinstance(ref, dict) or "id" not in ref:
        raise BadRequest("Invalid input for field 'scope.OS-TRUST:trust'.")
    trust = await session.get(Trust, str(ref["id"]))
    if trust is None or trust.deleted_at is not None:
        raise Unauthorized("Could not find trust.")
    if trust.trustee_user_id != result.user.id:
        raise Forbidden("The user is not the trustee of this trust.")
    if trust.expires_at is not None and trust.expires_at <= utcnow():
        raise Unauthorized("The trust has expired.")
    if trust.remaining_uses is not None and trust.remaining_uses <= 0:
        raise Unauthorized("The trust has no remaining uses.")
    expires = epoch(trust.expires_at)
    user_id = trust.trustor_user_id if trust.impersonation else result.user.id
    return Scope("trust", trust.project_id, trust.id, user_id, expires)


async def _default(session: AsyncSession, result: AuthResult) -> Scope:
    project_id = result.user.default_project_id
    if project_id is None:
        return Scope()
    project = await session.get(Project, project_id)
    held = project and await assignments.direct_role_ids(
        session, result.user.id, "project", project_id
    )
    return Scope("project", project_id) if project and project.enabled and held else Scope()


async def resolve(idn: Identity, session: AsyncSession, result: AuthResult, scope: Any) -> Scope:
    """The scope `scope` asks for, checked against what the user may have."""
    if result.app_cred is not None:
        if scope not in (None, "unscoped") and scope != {
            "project": {"id": result.app_cred.project_id}
        }:
            raise Unauthorized("An application credential cannot request a scope.")
        return Scope("project", result.app_cred.project_id)
    if scope is None:
        return await _default(session, result)
    if scope == "unscoped":
        return Scope()
    if not isinstance(scope, dict) or len(scope) != 1:
        raise BadRequest("Invalid input for field 'scope': exactly one scope is required.")
    kind, ref = next(iter(scope.items()))
    if kind == "project":
        return Scope("project", (await _project(session, ref)).id)
    if kind == "domain":
        return Scope("domain", (await find_domain(session, ref, "scope.domain")).id)
    if kind == "system":
        if ref != {"all": True}:
            raise BadRequest("Invalid input for field 'scope.system': only {\"all\": true}.")
        return Scope("system", "all")
    if kind == "OS-TRUST:trust":
        return await _trust(session, result, ref)
    raise BadRequest(f"Invalid input for field 'scope': unknown scope {kind!r}.")
