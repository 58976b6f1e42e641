"""HTTP face of service/catalog.py: /v2/pools and /v2/flavors (admin)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.messaging.api.common import body, caller, flag, number
from kilocloud.messaging.models import Flavor, Pool
from kilocloud.messaging.service import limits

MAX_BODY = 65536
PAGE = 10


def pool_view(pool: Pool, detailed: bool = True) -> dict[str, Any]:
    """A pool as Zaqar shows it."""
    doc = {"name": pool.name, "href": f"/v2/pools/{pool.name}", "weight": pool.weight}
    doc |= {"uri": pool.uri, "flavor": pool.flavor}
    return doc | {"options": pool.options} if detailed else doc


def flavor_view(flavor: Flavor) -> dict[str, Any]:
    """A flavor as Zaqar shows it."""
    return {
        "name": flavor.name,
        "href": f"/v2/flavors/{flavor.name}",
        "pool_list": flavor.pool_list,
        "capabilities": flavor.capabilities,
    }


def _page(request: Request) -> tuple[str | None, int]:
    limit = number(request, "limit")
    return request.query_params.get("marker"), limits.page_limit(
        PAGE if limit is None else limit, 1000
    )


def _links(kind: str, names: list[str], limit: int) -> list[dict[str, str]]:
    if not names:
        return []
    return [{"rel": "next", "href": f"/v2/{kind}?marker={names[-1]}&limit={limit}"}]


async def list_pools(request: Request) -> Response:
    """GET /v2/pools."""
    marker, limit = _page(request)
    pools = await layer(request).catalog.list_pools(caller(request), marker, limit)
    detailed = flag(request, "detailed")
    doc = {"pools": [pool_view(p, detailed) for p in pools]}
    return json(doc | {"links": _links("pools", [p.name for p in pools], limit)})


async def put_pool(request: Request) -> Response:
    """PUT /v2/pools/{name}: 201."""
    who = caller(request)
    doc, _ = await body(request, MAX_BODY)
    await layer(request).catalog.put_pool(who, request.path_params["name"], doc)
    return empty(201, {"Location": f"/v2/pools/{request.path_params['name']}"})


async def get_pool(request: Request) -> Response:
    """GET /v2/pools/{name}."""
    pool = await layer(request).catalog.get_pool(caller(request), request.path_params["name"])
    return json(pool_view(pool, flag(request, "detailed")))


async def update_pool(request: Request) -> Response:
    """PATCH /v2/pools/{name}: 200 with the pool."""
    who = caller(request)
    doc, _ = await body(request, MAX_BODY)
    pool = await layer(request).catalog.update_pool(who, request.path_params["name"], doc)
    return json(pool_view(pool))


async def delete_pool(request: Request) -> Response:
    """DELETE /v2/pools/{name}."""
    await layer(request).catalog.delete_pool(caller(request), request.path_params["name"])
    return empty()


async def list_flavors(request: Request) -> Response:
    """GET /v2/flavors."""
    marker, limit = _page(request)
    flavors = await layer(request).catalog.list_flavors(caller(request), marker, limit)
    doc = {"flavors": [flavor_view(f) for f in flavors]}
    return json(doc | {"links": _links("flavors", [f.name for f in flavors], limit)})


async def put_flavor(request: Request) -> Response:
    """PUT /v2/flavors/{name}: 201."""
    who = caller(request)
    doc, _ = await body(request, MAX_BODY)
    await layer(request).catalog.put_flavor(who, request.path_params["name"], doc)
    return empty(201, {"Location": f"/v2/flavors/{request.path_params['name']}"})


async def get_flavor(request: Request) -> Response:
    """GET /v2/flavors/{name}."""
    flavor = await layer(request).catalog.get_flavor(caller(request), request.path_params["name"])
    return json(flavor_view(flavor))


async def update_flavor(request: Request) -> Response:
    """PATCH /v2/flavors/{name}: 200 with the flavor."""
    who = caller(request)
    doc, _ = await body(request, MAX_BODY)
    flavor = await layer(request).catalog.update_flavor(who, request.path_params["name"], doc)
    return json(flavor_view(flavor))


async def delete_flavor(request: Request) -> Response:
    """DELETE /v2/flavors/{name}."""
    await layer(request).catalog.delete_flavor(caller(request), request.path_params["name"])
    return empty()
