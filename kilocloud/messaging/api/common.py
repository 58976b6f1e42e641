"""HTTP helpers of the messaging API: the caller, query parameters, hrefs, bodies."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from kilocloud.core.auth import authenticated
from kilocloud.core.context import RequestContext
from kilocloud.core.routing import layer
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.service import limits, signed_urls
from kilocloud.messaging.service.caller import Caller
from kilocloud.messaging.service.messaging import Messaging


def api_path(request: Request) -> str:
    """The request path below the service mount (/v2/...)."""
    return request.url.path[len(request.scope.get("root_path", "")) :] or "/"


def caller(request: Request) -> Caller:
    """Who calls: a token's project, or the project a pre-signed URL grants."""
    svc: Messaging = layer(request)
    ctx: RequestContext = request.state.context
    if not ctx.authenticated and "url-signature" in request.headers:
        headers = {k.lower(): v for k, v in request.headers.items()}
        project = svc.signed_urls.verify(headers, request.method, api_path(request))
        roles = list(signed_urls.GRANTED_ROLES)
        ctx = RequestContext(request_id=ctx.request_id, project_id=project, roles=roles)
    else:
        ctx = authenticated(request)
    client = limits.client_id(request.headers.get("client-id"), svc.queues.opts)
    return Caller(ctx, ctx.project_id or "", client)


def flag(request: Request, name: str, default: bool = False) -> bool:
    """A boolean query parameter (true/false, case-insensitive)."""
    value = request.query_params.get(name)
    if value is None:
        return default
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise InvalidRequest(f"The value of {name} must be true or false.")


def number(request: Request, name: str) -> int | None:
    """An integer query parameter, or None."""
    value = request.query_params.get(name)
    if value is None:
        return None
    return limits.integer(value, name, -(2**31), 2**31)


async def body(request: Request, limit: int, required: bool = True) -> tuple[Any, int]:
    """The JSON body and its size; 400 when malformed or larger than `limit`."""
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            raise InvalidRequest(f"Request body can not be larger than {limit} bytes.")
    if not raw:
        if required:
            raise InvalidRequest("Request body can not be empty.")
        return None, 0
    try:
        return orjson.loads(raw), len(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest("Request body could not be parsed.") from None


def queue_base(request: Request, kind: str = "queues") -> str:
    """The href of the queue (or topic) the request names."""
    return f"/v2/{kind}/{request.path_params['name']}"
