"""HTTP face of tokens and the /v3/auth/* listings."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import Unauthorized
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.identity.api import views
from kilocloud.identity.service import Identity, auth_scopes, tokens


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    return value is not None and value.lower() not in ("0", "false", "no")


def _subject(request: Request) -> str:
    token = request.headers.get("x-subject-token")
    if not token:
        raise Unauthorized("X-Subject-Token is required.")
    return token


async def issue_token(request: Request) -> Response:
    """POST /v3/auth/tokens."""
    idn: Identity = layer(request)
    token, body = await tokens.issue(idn, await read_json(request), _flag(request, "nocatalog"))
    return json(body, 201, {"X-Subject-Token": token})


async def validate_token(request: Request) -> Response:
    """GET /v3/auth/tokens."""
    ctx = authenticated(request)
    token = _subject(request)
    body = await tokens.show(
        layer(request),
        ctx,
        token,
        _flag(request, "nocatalog"),
        _flag(request, "allow_expired"),
    )
    return json(body, 200, {"X-Subject-Token": token})


async def check_token(request: Request) -> Response:
    """HEAD /v3/auth/tokens."""
    ctx = authenticated(request)
    token = _subject(request)
    await tokens.check(layer(request), ctx, token, _flag(request, "allow_expired"))
    return empty(200, {"X-Subject-Token": token})


async def revoke_token(request: Request) -> Response:
    """DELETE /v3/auth/tokens."""
    ctx = authenticated(request)
    await tokens.revoke(layer(request), ctx, _subject(request))
    return empty()


async def get_catalog(request: Request) -> Response:
    """GET /v3/auth/catalog."""
    ctx = authenticated(request)
    idn: Identity = layer(request)
    catalog = await auth_scopes.catalog_for(idn, ctx)
    return json({"catalog": catalog, "links": {"self": str(request.url)}})


async def get_projects(request: Request) -> Response:
    """GET /v3/auth/projects."""
    ctx = authenticated(request)
    projects = await auth_scopes.projects_for(layer(request), ctx)
    return json(
        views.collection(request, "projects", [views.project(request, p) for p in projects])
    )


async def get_domains(request: Request) -> Response:
    """GET /v3/auth/domains."""
    ctx = authenticated(request)
    domains = await auth_scopes.domains_for(layer(request), ctx)
    return json(views.collection(request, "domains", [views.domain(request, d) for d in domains]))


async def get_system(request: Request) -> Response:
    """GET /v3/auth/system."""
    ctx = authenticated(request)
    system = await auth_scopes.system_for(layer(request), ctx)
    return json({"system": system, "links": {"self": str(request.url)}})
