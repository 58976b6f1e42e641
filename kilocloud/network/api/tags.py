"""Tags of networks, subnets, ports, routers, floating IPs and security groups."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import NotFound
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.network.api.resources import body_of
from kilocloud.network.service.tags import Tags

COLLECTIONS = {
    "networks": "networks",
    "subnets": "subnets",
    "ports": "ports",
    "routers": "routers",
    "floatingips": "floatingips",
    "security-groups": "security_groups",
    "subnetpools": "subnetpools",
}


def _tags(request: Request) -> tuple[Tags, str]:
    facade = layer(request)
    if request.path_params["collection"] not in COLLECTIONS:
        raise NotFound("The resource could not be found.")
    owner = getattr(facade, COLLECTIONS[request.path_params["collection"]])
    return Tags(owner), request.path_params["id"]


async def list_tags(request: Request) -> Response:
    """GET .../{id}/tags."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    return json({"tags": await tags.list(ctx, resource_id)})


async def replace_tags(request: Request) -> Response:
    """PUT .../{id}/tags {"tags": [...]}: 200 with the new set."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    data = await body_of(request)
    return json({"tags": await tags.replace(ctx, resource_id, data)})


async def add_tags(request: Request) -> Response:
    """POST .../{id}/tags {"tags": [...]}: 201 with the new set (tag-creation)."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    data = await body_of(request)
    return json({"tags": await tags.add(ctx, resource_id, data)}, 201)


async def delete_tags(request: Request) -> Response:
    """DELETE .../{id}/tags: 204."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    await tags.replace(ctx, resource_id, {"tags": []})
    return empty()


async def check_tag(request: Request) -> Response:
    """GET .../{id}/tags/{tag}: 204 when set, 404 when not."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    await tags.check(ctx, resource_id, request.path_params["tag"])
    return empty()


async def add_tag(request: Request) -> Response:
    """PUT .../{id}/tags/{tag}: 201."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    await tags.add_one(ctx, resource_id, request.path_params["tag"])
    return empty(201)


async def delete_tag(request: Request) -> Response:
    """DELETE .../{id}/tags/{tag}: 204, 404 when not set."""
    ctx = authenticated(request)
    tags, resource_id = _tags(request)
    await tags.delete_one(ctx, resource_id, request.path_params["tag"])
    return empty()
