"""How identity entities look on the wire, with their `links`."""

from __future__ import annotations

import datetime
from typing import Any

from starlette.requests import Request

from kilocloud.core.http import service_root
from kilocloud.identity import models


def _link(request: Request, path: str) -> dict[str, str]:
    return {"self": f"{service_root(request)}/v3/{path}"}


def _time(value: datetime.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value else None


def domain(request: Request, d: models.Domain) -> dict[str, Any]:
    """A domain."""
    return {
        **d.extra,
        "id": d.id,
        "name": d.name,
        "description": d.description or "",
        "enabled": d.enabled,
        "tags": [],
        "options": {},
        "links": _link(request, f"domains/{d.id}"),
    }


def project(request: Request, p: models.Project) -> dict[str, Any]:
    """A project."""
    return {
        **p.extra,
        "id": p.id,
        "name": p.name,
        "domain_id": p.domain_id,
        "parent_id": p.parent_id or p.domain_id,
        "description": p.description or "",
        "enabled": p.enabled,
        "is_domain": False,
        "tags": p.tags,
        "options": {},
        "links": _link(request, f"projects/{p.id}"),
    }


def user(request: Request, u: models.User) -> dict[str, Any]:
    """A user; never its password."""
    body = {
        **u.extra,
        "id": u.id,
        "name": u.name,
        "domain_id": u.domain_id,
        "enabled": u.enabled,
        "password_expires_at": None,
        "options": {},
        "links": _link(request, f"users/{u.id}"),
    }
    if u.default_project_id:
        body["default_project_id"] = u.default_project_id
    if u.description is not None:
        body["description"] = u.description
    return body


def group(request: Request, g: models.Group) -> dict[str, Any]:
    """A group."""
    return {
        **g.extra,
        "id": g.id,
        "name": g.name,
        "domain_id": g.domain_id,
        "description": g.description or "",
        "links": _link(request, f"groups/{g.id}"),
    }


def role(request: Request, r: models.Role) -> dict[str, Any]:
    """A role (domain_id is null for global roles)."""
    return {
        "id": r.id,
        "name": r.name,
        "domain_id": r.domain_id or None,
        "description": r.description,
        "options": r.options,
        "links": _link(request, f"roles/{r.id}"),
    }


def region(request: Request, r: models.Region) -> dict[str, Any]:
    """A region."""
    return {
        **r.extra,
        "id": r.id,
        "description": r.description or "",
        "parent_region_id": r.parent_region_id,
        "links": _link(request, f"regions/{r.id}"),
    }


def service(request: Request, s: models.Service) -> dict[str, Any]:
    """A catalog service."""
    return {
        **s.extra,
        "id": s.id,
        "type": s.type,
        "name": s.name,
        "description": s.description,
        "enabled": s.enabled,
        "links": _link(request, f"services/{s.id}"),
    }


def endpoint(request: Request, e: models.Endpoint) -> dict[str, Any]:
    """A catalog endpoint."""
    return {
        **e.extra,
        "id": e.id,
        "service_id": e.service_id,
        "interface": e.interface,
        "region_id": e.region_id,
        "region": e.region_id,
        "url": e.url,
        "enabled": e.enabled,
        "links": _link(request, f"endpoints/{e.id}"),
    }


def application_credential(request: Request, c: models.ApplicationCredential) -> dict[str, Any]:
    """An application credential; its secret is added only by create."""
    return {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "user_id": c.user_id,
        "project_id": c.project_id,
        "expires_at": _time(c.expires_at),
        "unrestricted": c.unrestricted,
        "roles": c.roles,
        "access_rules": c.access_rules,
        "links": _link(request, f"users/{c.user_id}/application_credentials/{c.id}"),
    }


def trust(request: Request, t: models.Trust) -> dict[str, Any]:
    """An OS-TRUST trust."""
    return {
        "id": t.id,
        "trustor_user_id": t.trustor_user_id,
        "trustee_user_id": t.trustee_user_id,
        "project_id": t.project_id,
        "impersonation": t.impersonation,
        "expires_at": _time(t.expires_at) and _time(t.expires_at) + "Z",
        "remaining_uses": t.remaining_uses,
        "allow_redelegation": t.allow_redelegation,
        "redelegation_count": t.redelegation_count or 0,
        "roles": t.roles,
        "roles_links": {"self": None, "previous": None, "next": None},
        "links": _link(request, f"OS-TRUST/trusts/{t.id}"),
    }


def collection(
    request: Request, key: str, items: list[dict[str, Any]], truncated: bool = False
) -> dict[str, Any]:
    """A list response: the items, Keystone's links, and `truncated` when list_limit cut it."""
    body: dict[str, Any] = {
        key: items,
        "links": {"self": str(request.url), "previous": None, "next": None},
    }
    if truncated:
        body["truncated"] = True
    return body


def domain_as_project(request: Request, d: models.Domain) -> dict[str, Any]:
    """A domain in the shape of a project acting as a domain (is_domain=true)."""
    return {
        "id": d.id,
        "name": d.name,
        "domain_id": None,
        "parent_id": None,
        "description": d.description or "",
        "enabled": d.enabled,
        "is_domain": True,
        "tags": [],
        "options": {},
        "links": _link(request, f"projects/{d.id}"),
    }


def role_ref(request: Request, r: models.Role) -> dict[str, Any]:
    """The short role form used inside role inferences."""
    return {"id": r.id, "name": r.name, "links": _link(request, f"roles/{r.id}")}
