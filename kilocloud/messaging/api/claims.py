"""HTTP face of service/claims.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.messaging.api import views
from kilocloud.messaging.api.common import body, caller, queue_base

MAX_BODY = 4096


async def create_claim(request: Request) -> Response:
    """POST /v2/queues/{name}/claims: 201 with the claimed messages, 204 when none is free."""
    who, svc = caller(request), layer(request)
    doc, _ = await body(request, MAX_BODY, required=False)
    limit = request.query_params.get("limit")
    claim = await svc.claims.create(who, request.path_params["name"], doc, limit)
    if claim is None:
        return empty()
    base = queue_base(request)
    doc = views.claim(base, claim)
    return json({"messages": doc["messages"]}, 201, {"Location": doc["href"]})


async def get_claim(request: Request) -> Response:
    """GET /v2/queues/{name}/claims/{claim_id}."""
    who, svc = caller(request), layer(request)
    p = request.path_params
    claim = await svc.claims.get(who, p["name"], p["claim_id"])
    return json(views.claim(queue_base(request), claim))


async def update_claim(request: Request) -> Response:
    """PATCH /v2/queues/{name}/claims/{claim_id}: renew with a new ttl and grace."""
    who, svc = caller(request), layer(request)
    doc, _ = await body(request, MAX_BODY)
    p = request.path_params
    await svc.claims.update(who, p["name"], p["claim_id"], doc)
    return empty()


async def delete_claim(request: Request) -> Response:
    """DELETE /v2/queues/{name}/claims/{claim_id}: release the messages."""
    who, svc = caller(request), layer(request)
    p = request.path_params
    await svc.claims.delete(who, p["name"], p["claim_id"])
    return empty()
