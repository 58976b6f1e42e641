"""HTTP face of discovery: /v2/info/import and /v2/info/stores."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import NotFound
from kilocloud.core.http import json
from kilocloud.image.api.imports import import_methods
from kilocloud.image.stores import Stores


async def import_info(request: Request) -> Response:
    """GET /v2/info/import: the enabled interoperable import methods."""
    authenticated(request)
    return json({"import-methods": {"type": "array", "value": import_methods(request)}})


async def stores_info(request: Request) -> Response:
    """GET /v2/info/stores: the stores of a multi-store deployment; 404 otherwise."""
    authenticated(request)
    stores: Stores = request.app.state.image.deps.stores
    if not stores.multistore:
        raise NotFound("Multi-store is not enabled on this cloud.")
    listed = []
    for name in stores.by_name:
        entry = {"id": name, "description": f"{stores.by_name[name].kind} store {name}"}
        if name == stores.default:
            entry["default"] = "true"
        listed.append(entry)
    return json({"stores": listed})
