"""HTTP face of projects: /v3/projects[/{project_id}], /v3/users/{user_id}/projects."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import body, filters, flag
from kilocloud.identity.models import Domain
from kilocloud.identity.service import domains, project_lists, projects

FILTERS = (*project_lists.COLUMN_FILTERS, "is_domain", *project_lists.TAG_FILTERS)


def _view(request: Request, row: object) -> dict:
    if isinstance(row, Domain):
        return views.domain_as_project(request, row)
    return views.project(request, row)


async def list_projects(request: Request) -> Response:
    """GET /v3/projects."""
    ctx = authenticated(request)
    found, truncated = await project_lists.listing(layer(request), ctx, filters(request, *FILTERS))
    items = [_view(request, p) for p in found]
    return json(views.collection(request, "projects", items, truncated))


async def create_project(request: Request) -> Response:
    """POST /v3/projects."""
    ctx = authenticated(request)
    ref = await body(request, "project", schemas.PROJECT)
    if ref.get("is_domain"):
        fields = {k: v for k, v in ref.items() if k in ("name", "description", "enabled")}
        domain = await domains.create(layer(request), ctx, fields)
        return json({"project": views.domain_as_project(request, domain)}, 201)
    project = await projects.create(layer(request), ctx, ref)
    return json({"project": views.project(request, project)}, 201)


async def show_project(request: Request) -> Response:
    """GET /v3/projects/{project_id}, with parents/subtree when asked."""
    idn = layer(request)
    project = await projects.get(idn, authenticated(request), request.path_params["project_id"])
    shown = views.project(request, project)
    parents, children = flag(request, "parents_as_list"), flag(request, "subtree_as_list")
    if parents or children:
        extra = await projects.hierarchy(idn, project.id, parents, children)
        for key, rows in extra.items():
            shown[key] = [{"project": views.project(request, p)} for p in rows]
    return json({"project": shown})


async def update_project(request: Request) -> Response:
    """PATCH /v3/projects/{project_id}."""
    ctx = authenticated(request)
    ref = await body(request, "project", schemas.PROJECT_UPDATE)
    project = await projects.update(layer(request), ctx, request.path_params["project_id"], ref)
    return json({"project": views.project(request, project)})


async def delete_project(request: Request) -> Response:
    """DELETE /v3/projects/{project_id}."""
    ctx = authenticated(request)
    await projects.delete_project(layer(request), ctx, request.path_params["project_id"])
    return empty()


async def list_user_projects(request: Request) -> Response:
    """GET /v3/users/{user_id}/projects."""
    ctx = authenticated(request)
    found = await project_lists.for_user(
        layer(request),
        ctx,
        request.path_params["user_id"],
        filters(request, *project_lists.COLUMN_FILTERS),
    )
    items = [views.project(request, p) for p in found]
    return json(views.collection(request, "projects", items))
