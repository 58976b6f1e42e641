"""HTTP face of service/messages.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.http import empty, json
from kilocloud.messaging.api import views
from kilocloud.messaging.api.common import body, caller, flag, number, queue_base
from kilocloud.messaging.api.queues import family
from kilocloud.messaging.errors import InvalidRequest
from kilocloud.messaging.storage.base import ListQuery


def _ids(request: Request) -> list[str] | None:
    values = request.query_params.getlist("ids")
    return None if not values else [i for v in values for i in v.split(",")]


def _limit(value: int | None) -> int:
    return 10 if value is None else value


async def post_messages(request: Request) -> Response:
    """POST /v2/queues/{name}/messages: 201 with the new messages' hrefs."""
    fam, who = family(request), caller(request)
    limit = fam.queues.opts.max_messages_post_size
    doc, size = await body(request, limit)
    ids = await fam.messages.post(who, request.path_params["name"], doc, size)
    base = queue_base(request, fam.queues.kind)
    location = f"{base}/messages?ids={','.join(ids)}"
    resources = [f"{base}/messages/{i}" for i in ids]
    return json({"resources": resources}, 201, {"Location": location})


async def list_messages(request: Request) -> Response:
    """GET /v2/queues/{name}/messages: a page, or the messages named by `ids`."""
    fam, who = family(request), caller(request)
    base = queue_base(request, fam.queues.kind)
    ids = _ids(request)
    if ids is not None:
        found = await fam.messages.get_many(who, request.path_params["name"], ids)
        return json({"messages": views.messages(base, found)})
    marker = request.query_params.get("marker") or "0"
    if not (marker.isascii() and marker.isdigit()):
        raise InvalidRequest("The marker is not valid.")
    query = ListQuery(
        client_id=who.client_id,
        limit=_limit(number(request, "limit")),
        marker=int(marker),
        echo=flag(request, "echo"),
        include_claimed=flag(request, "include_claimed"),
        include_delayed=flag(request, "include_delayed"),
    )
    found = await fam.messages.list(who, request.path_params["name"], query)
    links = []
    if found:
        params = f"marker={found[-1].marker}&limit={query.limit}&echo={str(query.echo).lower()}"
        params += f"&include_claimed={str(query.include_claimed).lower()}"
        params += f"&include_delayed={str(query.include_delayed).lower()}"
        links.append({"rel": "next", "href": f"{base}/messages?{params}"})
    return json({"messages": views.messages(base, found), "links": links})


async def delete_messages(request: Request) -> Response:
    """DELETE /v2/queues/{name}/messages?ids=... or ?pop=N."""
    fam, who = family(request), caller(request)
    ids, pop = _ids(request), request.query_params.get("pop")
    if (ids is None) == (pop is None):
        raise InvalidRequest("Either ids or pop must be given, but not both.")
    name = request.path_params["name"]
    if pop is not None:
        popped = await fam.messages.pop(who, name, pop)
        base = queue_base(request, fam.queues.kind)
        return json({"messages": views.messages(base, popped)})
    await fam.messages.delete_many(who, name, ids or [])
    return empty()


async def get_message(request: Request) -> Response:
    """GET /v2/queues/{name}/messages/{message_id}."""
    fam, who = family(request), caller(request)
    p = request.path_params
    found = await fam.messages.get(who, p["name"], p["message_id"])
    return json(views.message(queue_base(request, fam.queues.kind), found))


async def delete_message(request: Request) -> Response:
    """DELETE /v2/queues/{name}/messages/{message_id}[?claim_id=]."""
    fam, who = family(request), caller(request)
    p = request.path_params
    claim_id = request.query_params.get("claim_id") or None
    await fam.messages.delete(who, p["name"], p["message_id"], claim_id)
    return empty()
