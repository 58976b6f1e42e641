"""HTTP face of /v2/schemas/*: the same schemas the service validates with."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json
from kilocloud.core.routing import layer
from kilocloud.image import schemas


async def image_schema(request: Request) -> Response:
    """GET /v2/schemas/image."""
    authenticated(request)
    return json(schemas.image_schema(layer(request).services.conf))


async def images_schema(request: Request) -> Response:
    """GET /v2/schemas/images."""
    authenticated(request)
    return json(schemas.images_schema(layer(request).services.conf))


async def member_schema(request: Request) -> Response:
    """GET /v2/schemas/member."""
    authenticated(request)
    return json(schemas.MEMBER_SCHEMA)


async def members_schema(request: Request) -> Response:
    """GET /v2/schemas/members."""
    authenticated(request)
    return json(schemas.members_schema())
