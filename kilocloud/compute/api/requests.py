"""What every compute handler reads from a request: service, version, body, links, paging."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from kilocloud.compute import microversions
from kilocloud.compute.service import ComputeService
from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.core.http import read_json, service_root
from kilocloud.core.routing import layer


def service(request: Request) -> ComputeService:
    """The compute facade of this app."""
    return layer(request)


def version(request: Request) -> microversions.Version:
    """The negotiated microversion."""
    return request.state.api_version


def since(request: Request, minor: int) -> bool:
    """Whether the request's version is at least 2.`minor`."""
    return version(request) >= (2, minor)


def require(request: Request, minor: int, until: int | None = None) -> None:
    """404 (as Nova answers) unless the version is in [2.minor, 2.until]."""
    if not since(request, minor) or (until is not None and version(request) > (2, until)):
        raise NotFound("The resource could not be found.")


async def body(request: Request) -> Any:
    """The JSON body, 400 "Malformed request body" when it is not JSON."""
    try:
        return await read_json(request)
    except BadRequest:
        raise BadRequest("Malformed request body") from None


def root(request: Request) -> str:
    """The compute service's URL, worked out once per request."""
    found = getattr(request.state, "compute_root", None)
    if found is None:
        found = request.state.compute_root = service_root(request)
    return found


def links(request: Request, collection: str, item_id: str) -> list[dict[str, str]]:
    """self (versioned) and bookmark (unversioned) links of one item."""
    root_url = root(request)
    return [
        {"rel": "self", "href": f"{root_url}/v2.1/{collection}/{item_id}"},
        {"rel": "bookmark", "href": f"{root_url}/{collection}/{item_id}"},
    ]


def limit(request: Request) -> int | None:
    """The `limit` query parameter capped at [compute] max_limit; 400 when not a number >= 0."""
    raw = request.query_params.get("limit")
    cap = service(request).deps.conf.compute.max_limit
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(
            f"Invalid input for query parameters limit. Value: {raw}. "
            f"'{raw}' does not match '^[0-9]*$'"
        ) from None
    if value < 0:
        raise BadRequest("limit param must be positive")
    return min(value, cap)


def next_link(request: Request, collection: str, marker: str) -> dict[str, str]:
    """The rel=next link of a page that ended at `marker`."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
    query = "&".join(f"{k}={v}" for k, v in [*params, ("marker", marker)])
    return {"rel": "next", "href": f"{service_root(request)}/v2.1/{collection}?{query}"}


def check_query(request: Request, allowed: tuple[str, ...] = (), minor: int = 75) -> None:
    """From 2.`minor` (2.102 for every API), a query parameter not in `allowed` is a 400."""
    if not since(request, min(minor, 102)):
        return
    for key in request.query_params:
        if key not in allowed:
            raise BadRequest(f"Additional properties are not allowed ('{key}' was unexpected)")
