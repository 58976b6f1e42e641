"""HTTP face of project tags: /v3/projects/{project_id}/tags[/{tag}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.identity import schemas
from kilocloud.identity.api import views
from kilocloud.identity.api.requests import check
from kilocloud.identity.service import project_tags


def _ids(request: Request) -> tuple[str, str | None]:
    return request.path_params["project_id"], request.path_params.get("tag")


async def list_project_tags(request: Request) -> Response:
    """GET /v3/projects/{project_id}/tags."""
    project_id, _ = _ids(request)
    tags = await project_tags.listing(layer(request), authenticated(request), project_id)
    return json(views.collection(request, "tags", tags))


async def replace_project_tags(request: Request) -> Response:
    """PUT /v3/projects/{project_id}/tags."""
    ctx = authenticated(request)
    ref = check(await read_json(request), schemas.PROJECT_TAGS, "project")
    project_id, _ = _ids(request)
    tags = await project_tags.replace(layer(request), ctx, project_id, ref["tags"])
    return json({"tags": tags})


async def delete_project_tags(request: Request) -> Response:
    """DELETE /v3/projects/{project_id}/tags."""
    project_id, _ = _ids(request)
    await project_tags.remove(layer(request), authenticated(request), project_id, None)
    return empty()


async def check_project_tag(request: Request) -> Response:
    """GET and HEAD /v3/projects/{project_id}/tags/{tag}."""
    project_id, tag = _ids(request)
    await project_tags.check(layer(request), authenticated(request), project_id, tag)
    return empty()


async def add_project_tag(request: Request) -> Response:
    """PUT /v3/projects/{project_id}/tags/{tag}."""
    project_id, tag = _ids(request)
    await project_tags.add(layer(request), authenticated(request), project_id, tag)
    return empty(201, {"Location": str(request.url)})


async def delete_project_tag(request: Request) -> Response:
    """DELETE /v3/projects/{project_id}/tags/{tag}."""
    project_id, tag = _ids(request)
    await project_tags.remove(layer(request), authenticated(request), project_id, tag)
    return empty()
