"""HTTP face of metadef tags: /v2/metadefs/namespaces/{namespace}/tags[/{name}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.image.metadefs.api import views


async def list_tags(request: Request) -> Response:
    """GET .../tags: the namespace's tag names."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    found = await layer(request).metadefs.tags.list(ctx, ns, dict(request.query_params))
    return json({"tags": [{"name": t.name} for t in found]})


async def create_tags(request: Request) -> Response:
    """POST .../tags: 201; replaces the tags unless X-OpenStack-Append is true."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    append = request.headers.get("x-openstack-append", "").strip().lower() == "true"
    made = await layer(request).metadefs.tags.create_many(ctx, ns, await read_json(request), append)
    return json({"tags": [{"name": t.name} for t in made]}, 201)


async def create_tag(request: Request) -> Response:
    """POST .../tags/{name}: 201 with the new tag."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    return json(views.tag(await layer(request).metadefs.tags.create(ctx, ns, name)), 201)


async def show_tag(request: Request) -> Response:
    """GET .../tags/{name}."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    return json(views.tag(await layer(request).metadefs.tags.get(ctx, ns, name)))


async def update_tag(request: Request) -> Response:
    """PUT .../tags/{name} with {"name": new}: the renamed tag."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    tag = await layer(request).metadefs.tags.rename(ctx, ns, name, await read_json(request))
    return json(views.tag(tag))


async def delete_tag(request: Request) -> Response:
    """DELETE .../tags/{name}: 204."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    await layer(request).metadefs.tags.delete(ctx, ns, name)
    return empty()
