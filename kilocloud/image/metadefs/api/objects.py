"""HTTP face of metadef objects: /v2/metadefs/namespaces/{namespace}/objects[/{name}]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.image.metadefs.api import views


async def list_objects(request: Request) -> Response:
    """GET .../objects: the namespace's objects."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    found = await layer(request).metadefs.objects.list(ctx, ns, dict(request.query_params))
    objects = [views.object_(ns, o) for o in found]
    return json({"objects": objects, "schema": f"{views.SCHEMAS}/objects"})


async def create_object(request: Request) -> Response:
    """POST .../objects: 201 with the new object."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    obj = await layer(request).metadefs.objects.create(ctx, ns, await read_json(request))
    return json(views.object_(ns, obj), 201)


async def show_object(request: Request) -> Response:
    """GET .../objects/{name}."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    return json(views.object_(ns, await layer(request).metadefs.objects.get(ctx, ns, name)))


async def update_object(request: Request) -> Response:
    """PUT .../objects/{name}: the object as replaced."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    obj = await layer(request).metadefs.objects.update(ctx, ns, name, await read_json(request))
    return json(views.object_(ns, obj))


async def delete_object(request: Request) -> Response:
    """DELETE .../objects/{name}: 204."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    await layer(request).metadefs.objects.delete(ctx, ns, name)
    return empty()
