"""HTTP face of metadef namespaces: /v2/metadefs/namespaces[/{namespace}[/{contents}]]."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json, service_root
from kilocloud.core.routing import layer
from kilocloud.image.metadefs.api import views
from kilocloud.image.metadefs.service.namespaces import NamespaceDetail


async def list_namespaces(request: Request) -> Response:
    """GET /v2/metadefs/namespaces: a filtered, sorted page."""
    ctx = authenticated(request)
    params = dict(request.query_params)
    found, next_marker = await layer(request).metadefs.namespaces.list(ctx, params)
    return json(views.namespaces_page(found, next_marker, params))


async def create_namespace(request: Request) -> Response:
    """POST /v2/metadefs/namespaces: 201 with the namespace and what it holds."""
    ctx = authenticated(request)
    detail = await layer(request).metadefs.namespaces.create(ctx, await read_json(request))
    body = views.namespace(detail)
    headers = {"Location": service_root(request) + body["self"]}
    return json(body, 201, headers)


async def show_namespace(request: Request) -> Response:
    """GET /v2/metadefs/namespaces/{namespace}[?resource_type=...]."""
    ctx = authenticated(request)
    name = request.path_params["namespace"]
    detail = await layer(request).metadefs.namespaces.get(ctx, name)
    return json(views.namespace(detail, request.query_params.get("resource_type")))


async def update_namespace(request: Request) -> Response:
    """PUT /v2/metadefs/namespaces/{namespace}: the namespace's new attributes."""
    ctx = authenticated(request)
    name = request.path_params["namespace"]
    ns = await layer(request).metadefs.namespaces.update(ctx, name, await read_json(request))
    return json(views.namespace(NamespaceDetail(ns)))


async def delete_namespace(request: Request) -> Response:
    """DELETE /v2/metadefs/namespaces/{namespace}: 204."""
    ctx = authenticated(request)
    await layer(request).metadefs.namespaces.delete(ctx, request.path_params["namespace"])
    return empty()


async def delete_objects(request: Request) -> Response:
    """DELETE /v2/metadefs/namespaces/{namespace}/objects: 204."""
    return await _clear(request, "objects")


async def delete_properties(request: Request) -> Response:
    """DELETE /v2/metadefs/namespaces/{namespace}/properties: 204."""
    return await _clear(request, "properties")


async def delete_tags(request: Request) -> Response:
    """DELETE /v2/metadefs/namespaces/{namespace}/tags: 204."""
    return await _clear(request, "tags")


async def _clear(request: Request, kind: str) -> Response:
    ctx = authenticated(request)
    await layer(request).metadefs.namespaces.clear(ctx, request.path_params["namespace"], kind)
    return empty()
