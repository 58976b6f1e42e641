"""HTTP face of resource types: /v2/metadefs/resource_types and a namespace's associations."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json, read_json
from kilocloud.core.routing import layer
from kilocloud.image.metadefs import records


async def list_resource_types(request: Request) -> Response:
    """GET /v2/metadefs/resource_types."""
    ctx = authenticated(request)
    found = await layer(request).metadefs.resource_types.list(ctx)
    return json({"resource_types": [records.resource_type_dict(r) for r in found]})


async def list_associations(request: Request) -> Response:
    """GET .../{namespace}/resource_types: the namespace's associations."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    found = await layer(request).metadefs.resource_types.of_namespace(ctx, ns)
    return json({"resource_type_associations": [records.association_dict(*a) for a in found]})


async def create_association(request: Request) -> Response:
    """POST .../{namespace}/resource_types: 201 with the association."""
    ctx = authenticated(request)
    ns = request.path_params["namespace"]
    made = await layer(request).metadefs.resource_types.associate(ctx, ns, await read_json(request))
    return json(records.association_dict(*made), 201)


async def delete_association(request: Request) -> Response:
    """DELETE .../{namespace}/resource_types/{name}: 204."""
    ctx = authenticated(request)
    ns, name = request.path_params["namespace"], request.path_params["name"]
    await layer(request).metadefs.resource_types.dissociate(ctx, ns, name)
    return empty()
