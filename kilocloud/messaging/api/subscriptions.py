"""HTTP face of service/subscriptions.py (for queues and topics)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import empty, json
from kilocloud.messaging.api import views
from kilocloud.messaging.api.common import body, caller, number, queue_base
from kilocloud.messaging.api.queues import family

MAX_BODY = 65536


async def list_subscriptions(request: Request) -> Response:
    """GET /v2/queues/{name}/subscriptions."""
    fam, who = family(request), caller(request)
    marker = request.query_params.get("marker")
    limit = number(request, "limit")
    found = await fam.subscriptions.list(who, request.path_params["name"], marker, limit)
    links = []
    if found:
        href = f"{queue_base(request, fam.queues.kind)}/subscriptions?marker={found[-1].id}"
        links.append({"rel": "next", "href": href + f"&limit={limit or len(found)}"})
    return json({"subscriptions": [views.subscription(s) for s in found], "links": links})


async def create_subscription(request: Request) -> Response:
    """POST /v2/queues/{name}/subscriptions: 201 with the subscription id."""
    fam, who = family(request), caller(request)
    doc, _ = await body(request, MAX_BODY)
    sub_id = await fam.subscriptions.create(who, request.path_params["name"], doc)
    return json({"subscription_id": sub_id}, 201)


async def get_subscription(request: Request) -> Response:
    """GET /v2/queues/{name}/subscriptions/{subscription_id}."""
    fam, who = family(request), caller(request)
    p = request.path_params
    return json(views.subscription(await fam.subscriptions.get(who, p["name"], p["sub_id"])))


async def update_subscription(request: Request) -> Response:
    """PATCH /v2/queues/{name}/subscriptions/{subscription_id}."""
    fam, who = family(request), caller(request)
    doc, _ = await body(request, MAX_BODY, required=False)
    p = request.path_params
    await fam.subscriptions.update(who, p["name"], p["sub_id"], doc)
    return empty()


async def delete_subscription(request: Request) -> Response:
    """DELETE /v2/queues/{name}/subscriptions/{subscription_id}."""
    fam, who = family(request), caller(request)
    p = request.path_params
    await fam.subscriptions.delete(who, p["name"], p["sub_id"])
    return empty()


async def confirm_subscription(request: Request) -> Response:
    """PUT /v2/queues/{name}/subscriptions/{subscription_id}/confirm: 204, as Zaqar answers."""
    fam, who = family(request), caller(request)
    doc, _ = await body(request, MAX_BODY)
    p = request.path_params
    await fam.subscriptions.confirm(who, p["name"], p["sub_id"], doc)
    return empty()
