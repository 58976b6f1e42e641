"""The identity route table, in API-reference order, and the sub-app that serves it."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from kilocloud.core.errors import APIError
from kilocloud.deps import Services
from kilocloud.identity import errors
from kilocloud.identity.api import auth, versions
from kilocloud.identity.service import Identity

ROUTES: list[tuple[str, str, object]] = [
    ("/", "GET", versions.list_versions),
    ("/v3", "GET", versions.show_version),
    ("/v3/", "GET", versions.show_version),
    ("/v3/auth/tokens", "POST", auth.issue_token),
    ("/v3/auth/tokens", "HEAD", auth.check_token),  # before GET, which also answers HEAD
    ("/v3/auth/tokens", "GET", auth.validate_token),
    ("/v3/auth/tokens", "DELETE", auth.revoke_token),
    ("/v3/auth/catalog", "GET", auth.get_catalog),
    ("/v3/auth/projects", "GET", auth.get_projects),
    ("/v3/auth/domains", "GET", auth.get_domains),
    ("/v3/auth/system", "GET", auth.get_system),
]


def build(services: Services) -> Starlette:
    """The identity sub-app."""
    app = Starlette(
        routes=[Route(path, handler, methods=[method]) for path, method, handler in ROUTES],
        exception_handlers={APIError: errors.render, HTTPException: errors.render_http},
    )
    app.state.services = services
    app.state.identity = Identity.of(services)
    return app
