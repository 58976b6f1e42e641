"""HTTP face shared by every collection: list, show, create (one or bulk), update, delete."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json, read_json, service_root
from kilocloud.core.routing import layer
from kilocloud.network.errors import NeutronError
from kilocloud.network.service import listing
from kilocloud.network.service.collection import Collection

Handler = Any


class MalformedRequestBody(NeutronError, BadRequest):
    template = "Malformed request body: {reason}"


async def body_of(request: Request) -> Any:
    """The JSON body; Neutron's MalformedRequestBody when it cannot be read."""
    try:
        return await read_json(request)
    except BadRequest:
        raise MalformedRequestBody(reason="Cannot understand JSON") from None


def if_match(request: Request) -> int | None:
    """The revision an `If-Match: revision_number=N` header constrains a change to."""
    header = request.headers.get("if-match")
    if not header:
        return None
    tags = [t.strip().strip('"') for t in header.split(",")]
    revisions = [t.split("=", 1)[1] for t in tags if t.startswith("revision_number=")]
    if len(revisions) > 1:
        raise BadRequest("Multiple revision_number etags are not supported.")
    if not revisions:
        return None
    try:
        return int(revisions[0])
    except ValueError:
        raise BadRequest(f"Revision number must be an integer, not {revisions[0]}") from None


def collection_handlers(name: str, singular: str, plural: str, path: str) -> dict[str, Handler]:
    """list/show/create/update/delete handlers for the service kept at state.network.<name>."""

    def service(request: Request) -> Collection:
        return getattr(layer(request), name)

    async def list_all(request: Request) -> Response:
        ctx = authenticated(request)
        params = list(request.query_params.multi_items())
        items, page = await service(request).list(ctx, params)
        out: dict[str, Any] = {plural: items}
        base = f"{service_root(request)}/v2.0/{path}"
        if links := listing.links(base, params, items, page):
            out[f"{plural}_links"] = links
        return json(out)

    async def show(request: Request) -> Response:
        ctx = authenticated(request)
        fields = request.query_params.getlist("fields")
        return json({singular: await service(request).show(ctx, request.path_params["id"], fields)})

    async def create(request: Request) -> Response:
        ctx = authenticated(request)
        data = await body_of(request)
        svc = service(request)
        if isinstance(data, dict) and plural in data:
            bulk = data[plural]
            if not isinstance(bulk, list) or not bulk:
                raise BadRequest("Resources required")
            items = [_item(entry, singular) for entry in bulk]
            return json({plural: await svc.create_many(ctx, items)}, 201)
        return json({singular: await svc.create(ctx, data)}, 201)

    async def update(request: Request) -> Response:
        ctx = authenticated(request)
        data = await body_of(request)
        found = await service(request).update(
            ctx, request.path_params["id"], data, if_match(request)
        )
        return json({singular: found})

    async def delete(request: Request) -> Response:
        ctx = authenticated(request)
        await service(request).delete(ctx, request.path_params["id"], if_match(request))
        return empty()

    return {"list": list_all, "show": show, "create": create, "update": update, "delete": delete}


def _item(entry: Any, singular: str) -> dict[str, Any]:
    if isinstance(entry, dict) and singular in entry and isinstance(entry[singular], dict):
        return entry[singular]
    if not isinstance(entry, dict):
        raise BadRequest(f"Invalid input for {singular}. Reason: Body contains invalid data.")
    return entry
