"""HTTP face of service/queues.py (queues and topics alike)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.errors import UnsupportedMediaType
from kilocloud.core.http import empty, json
from kilocloud.core.routing import layer
from kilocloud.messaging.api import views
from kilocloud.messaging.api.common import (
    api_path,
    body,
    caller,
    flag,
    number,
    queue_base,
)
from kilocloud.messaging.service.messaging import Family

PATCH_TYPE = "application/openstack-messaging-v2.0-json-patch"
MAX_BODY = 65536 * 2
LISTING_PARAMS = ("limit", "detailed", "name", "with_count")


def family(request: Request) -> Family:
    """The queue family (queues or topics) the route serves."""
    svc = layer(request)
    return svc.topics if api_path(request).startswith("/v2/topics") else svc.queue_family


async def list_queues(request: Request) -> Response:
    """GET /v2/queues: a page of queues, with metadata when `detailed`."""
    fam, who = family(request), caller(request)
    kind = fam.queues.kind
    marker = request.query_params.get("marker")
    detailed = flag(request, "detailed")
    page, count = await fam.queues.list(
        who, marker, number(request, "limit"), flag(request, "with_count")
    )
    shown = fam.queues.shown
    items = [views.queue(f"/v2/{kind}", n, shown(m) if detailed else None) for n, m in page]
    links = [{"rel": "next", "href": _next(request, kind, page[-1][0])}] if page else []
    doc: dict = {kind: items, "links": links}
    if count is not None:
        doc["count"] = count
    return json(doc)


def _next(request: Request, kind: str, marker: str) -> str:
    """The next page's href: the caller's own listing parameters, from after `marker`."""
    params = {"marker": marker}
    for name in LISTING_PARAMS:
        if name in request.query_params:
            params[name] = request.query_params[name]
    return f"/v2/{kind}?{urlencode(params)}"


async def create_queue(request: Request) -> Response:
    """PUT /v2/queues/{name}: 201 when new, 204 when it existed."""
    fam, who = family(request), caller(request)
    meta, _ = await body(request, MAX_BODY, required=False)
    name = request.path_params["name"]
    created = await fam.queues.create(who, name, {} if meta is None else meta)
    return empty(201 if created else 204, {"Location": queue_base(request, fam.queues.kind)})


async def get_queue(request: Request) -> Response:
    """GET /v2/queues/{name}: the queue's metadata."""
    fam, who = family(request), caller(request)
    return json(fam.queues.shown(await fam.queues.get(who, request.path_params["name"])))


async def update_queue(request: Request) -> Response:
    """PATCH /v2/queues/{name}: JSON patch of the metadata; 415 for other media types."""
    fam, who = family(request), caller(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != PATCH_TYPE:
        raise UnsupportedMediaType(f"Accepted media type for PATCH: {PATCH_TYPE}.")
    patch, _ = await body(request, MAX_BODY)
    return json(fam.queues.shown(await fam.queues.update(who, request.path_params["name"], patch)))


async def delete_queue(request: Request) -> Response:
    """DELETE /v2/queues/{name}."""
    fam, who = family(request), caller(request)
    await fam.queues.delete(who, request.path_params["name"])
    return empty()


async def queue_stats(request: Request) -> Response:
    """GET /v2/queues/{name}/stats."""
    fam, who = family(request), caller(request)
    stats = await fam.queues.stats(who, request.path_params["name"])
    return json(views.stats(queue_base(request, fam.queues.kind), stats))


async def share_queue(request: Request) -> Response:
    """POST /v2/queues/{name}/share: a pre-signed URL."""
    who = caller(request)
    doc, _ = await body(request, MAX_BODY, required=False)
    return json(layer(request).signed_urls.create(who, request.path_params["name"], doc))


async def purge_queue(request: Request) -> Response:
    """POST /v2/queues/{name}/purge: delete messages and/or subscriptions."""
    fam, who = family(request), caller(request)
    doc, _ = await body(request, MAX_BODY, required=False)
    kinds = doc.get("resource_types") if isinstance(doc, dict) else None
    await fam.queues.purge(who, request.path_params["name"], kinds)
    return empty()
