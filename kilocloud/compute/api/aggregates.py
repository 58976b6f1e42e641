"""HTTP face of host aggregates."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute.api.requests import body, service, since
from kilocloud.compute.models import Aggregate
from kilocloud.compute.validation import body_of
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def view(request: Request, row: Aggregate, hosts: list[str]) -> dict[str, Any]:
    """An aggregate as the request's version shows it."""
    out = {
        "id": row.id,
        "name": row.name,
        "availability_zone": row.meta.get("availability_zone"),
        "hosts": hosts,
        "metadata": dict(row.meta),
        "created_at": _time(row.created_at),
        "updated_at": _time(row.updated_at),
        "deleted": False,
        "deleted_at": None,
    }
    if since(request, 41):
        out["uuid"] = row.uuid
    return out


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise BadRequest(f"Invalid input for field/attribute name. Value: {value}.")
    return value


async def list_aggregates(request: Request) -> Response:
    """GET /os-aggregates."""
    ctx = authenticated(request)
    found = await service(request).aggregates.list(ctx)
    return json({"aggregates": [view(request, r, h) for r, h in found]})


async def create_aggregate(request: Request) -> Response:
    """POST /os-aggregates: 200 with the aggregate."""
    ctx = authenticated(request)
    document = body_of(await body(request), "aggregate")
    zone = document.get("availability_zone")
    row = await service(request).aggregates.create(ctx, _name(document.get("name")), zone)
    out = view(request, row, [])
    out.pop("hosts"), out.pop("metadata")
    return json({"aggregate": out})


async def show_aggregate(request: Request) -> Response:
    """GET /os-aggregates/{aggregate_id}."""
    ctx = authenticated(request)
    row, hosts = await service(request).aggregates.get(ctx, request.path_params["aggregate_id"])
    return json({"aggregate": view(request, row, hosts)})


async def update_aggregate(request: Request) -> Response:
    """PUT /os-aggregates/{aggregate_id}: name and/or availability_zone."""
    ctx = authenticated(request)
    document = body_of(await body(request), "aggregate")
    if "name" in document:
        _name(document["name"])
    aggregates = service(request).aggregates
    await aggregates.update(ctx, request.path_params["aggregate_id"], document)
    row, hosts = await aggregates.get(ctx, request.path_params["aggregate_id"])
    return json({"aggregate": view(request, row, hosts)})


async def delete_aggregate(request: Request) -> Response:
    """DELETE /os-aggregates/{aggregate_id}: 200."""
    ctx = authenticated(request)
    await service(request).aggregates.delete(ctx, request.path_params["aggregate_id"])
    return empty(200)


async def aggregate_action(request: Request) -> Response:
    """POST /os-aggregates/{id}/action: add_host, remove_host, set_metadata."""
    ctx = authenticated(request)
    document = await body(request)
    aggregate_id = request.path_params["aggregate_id"]
    aggregates = service(request).aggregates
    if isinstance(document, dict) and "add_host" in document:
        await aggregates.add_host(ctx, aggregate_id, str(body_of(document, "add_host").get("host")))
    elif isinstance(document, dict) and "remove_host" in document:
        host = str(body_of(document, "remove_host").get("host"))
        await aggregates.remove_host(ctx, aggregate_id, host)
    elif isinstance(document, dict) and "set_metadata" in document:
        items = body_of(document, "set_metadata").get("metadata")
        if not isinstance(items, dict):
            raise BadRequest("Invalid input for field/attribute metadata.")
        await aggregates.set_metadata(ctx, aggregate_id, items)
    else:
        name = next(iter(document), "") if isinstance(document, dict) else ""
        raise BadRequest(f"There is no such action: {name}")
    row, hosts = await aggregates.get(ctx, aggregate_id)
    return json({"aggregate": view(request, row, hosts)})
