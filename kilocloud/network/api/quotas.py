"""HTTP face of /v2.0/quotas."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.network.api.resources import body_of
from kilocloud.network.errors import NotImplementedYet


def _quotas(request: Request):  # noqa: ANN202
    return layer(request).quotas


async def list_quotas(request: Request) -> Response:
    """GET /v2.0/quotas: the projects with limits of their own (admin)."""
    ctx = authenticated(request)
    return json({"quotas": await _quotas(request).list(ctx)})


async def create_quota(request: Request) -> Response:
    """POST /v2.0/quotas: 501 as in Neutron."""
    authenticated(request)
    raise NotImplementedYet("Not implemented")


async def own_project(request: Request) -> Response:
    """GET /v2.0/quotas/project: which project the caller is in."""
    ctx = authenticated(request)
    return json({"project": {"project_id": ctx.project_id}})


async def show_quota(request: Request) -> Response:
    """GET /v2.0/quotas/{project_id}."""
    ctx = authenticated(request)
    return json({"quota": await _quotas(request).show(ctx, request.path_params["project_id"])})


async def default_quota(request: Request) -> Response:
    """GET /v2.0/quotas/{project_id}/default."""
    ctx = authenticated(request)
    return json({"quota": await _quotas(request).default(ctx, request.path_params["project_id"])})


async def quota_details(request: Request) -> Response:
    """GET /v2.0/quotas/{project_id}/details."""
    ctx = authenticated(request)
    return json({"quota": await _quotas(request).details(ctx, request.path_params["project_id"])})


async def update_quota(request: Request) -> Response:
    """PUT /v2.0/quotas/{project_id} (admin)."""
    ctx = authenticated(request)
    data = await body_of(request)
    found = await _quotas(request).update(ctx, request.path_params["project_id"], data)
    return json({"quota": found})


async def delete_quota(request: Request) -> Response:
    """DELETE /v2.0/quotas/{project_id}: back to the defaults."""
    ctx = authenticated(request)
    await _quotas(request).delete(ctx, request.path_params["project_id"])
    return empty()
