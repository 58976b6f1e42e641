"""HTTP face of import discovery: /v2/info/import."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json
from kilocloud.image.api.imports import import_methods


async def import_info(request: Request) -> Response:
    """GET /v2/info/import: the enabled interoperable import methods."""
    authenticated(request)
    return json({"import-methods": {"type": "array", "value": import_methods(request)}})
