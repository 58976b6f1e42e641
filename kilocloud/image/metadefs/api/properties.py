"""HTTP face of metadef properties: /v2/metadefs/namespaces/{namespace}/properties[/{name}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.image.metadefs.api import views


async def list_properties(request: Request) -> Response:
    """GET .../properties: the namespace's properties keyed by name."""
    ctx = authenticated(request)
    found = await layer(request).metadefs.properties.list(ctx, request.path_params["namespace"])
    return json({"properties": views.properties(found)})


async def create_property(request: Request) -> Response:
    """POST .../properties: 201 with the new property."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    prop = await layer(request).metadefs.properties.create(ctx, ns, await read_json(request))
    return json(views.property_(prop), 201)


async def show_property(request: Request) -> Response:
    """GET .../properties/{name}[?resource_type=...] (the name then carries its prefix)."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    rtype = request.query_params.get("resource_type")
    return json(views.property_(await layer(request).metadefs.properties.get(ctx, ns, name, rtype)))


async def update_property(request: Request) -> Response:
    """PUT .../properties/{name}: the property as replaced."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    prop = await layer(request).metadefs.properties.update(ctx, ns, name, await read_json(request))
    return json(views.property_(prop))


async def delete_property(request: Request) -> Response:
    """DELETE .../properties/{name}: 204."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    await layer(request).metadefs.properties.delete(ctx, ns, name)
    return empty()
