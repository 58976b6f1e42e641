"""HTTP face of /v2/schemas/metadefs/{kind}: the schemas requests are checked against."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.http import json
from kilocloud.image.metadefs import schemas

KINDS = tuple(schemas.SERVED)


async def metadef_schema(request: Request) -> Response:
    """GET /v2/schemas/metadefs/{kind}: namespace(s), object(s), property, properties, tag(s),
    resource_type(s), the kind named by the last part of the path."""
    authenticated(request)
    return json(schemas.SERVED[request.url.path.rsplit("/", 1)[1]])
