"""HTTP face of flavors, their extra specs and access lists."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import (
    body,
    check_query,
    limit,
    links,
    next_link,
    require,
    service,
    since,
    version,
)
from kilocloud.compute.service.flavors import FlavorRecord
from kilocloud.compute.validation import body_of, check
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest
from kilocloud.core.http import empty, json

ACTIONS = ("addTenantAccess", "removeTenantAccess")
INDEX_QUERY = ("is_public", "minRam", "minDisk", "limit", "marker", "sort_key", "sort_dir")


def view(request: Request, record: FlavorRecord, detail: bool = True) -> dict[str, Any]:
    """A flavor as the request's version shows it."""
    row = record.row
    out: dict[str, Any] = {
        "id": row.flavorid,
        "name": row.name,
        "links": links(request, "flavors", row.flavorid),
    }
    if since(request, 55):
        out["description"] = row.description
    if not detail:
        return out
    out.update(
        {
            "ram": row.memory_mb,
            "disk": row.root_gb,
            "vcpus": row.vcpus,
            "swap": row.swap if row.swap or since(request, 75) else "",
            "OS-FLV-EXT-DATA:ephemeral": row.ephemeral_gb,
            "os-flavor-access:is_public": row.is_public,
        }
    )
    if not since(request, 102):
        out["rxtx_factor"] = row.rxtx_factor
        out["OS-FLV-DISABLED:disabled"] = row.disabled
    if since(request, 61):
        ctx = authenticated(request)
        if service(request).deps.allowed(ctx, "os-flavor-extra-specs:index"):
            out["extra_specs"] = record.extra_specs
    return out


async def _list(request: Request, detail: bool) -> Response:
    ctx = authenticated(request)
    names = INDEX_QUERY + (("name",) if since(request, 102) else ())
    check_query(request, names)
    query: dict[str, Any] = dict(request.query_params)
    query["limit"] = limit(request)
    if not since(request, 102):
        query.pop("name", None)
    records = await service(request).flavors.list(ctx, query)
    out: dict[str, Any] = {"flavors": [view(request, r, detail) for r in records]}
    if records and query["limit"] is not None and len(records) == query["limit"]:
        path = "flavors/detail" if detail else "flavors"
        out["flavors_links"] = [next_link(request, path, records[-1].row.flavorid)]
    return json(out)


async def list_flavors(request: Request) -> Response:
    """GET /flavors."""
    return await _list(request, False)


async def list_flavors_detail(request: Request) -> Response:
    """GET /flavors/detail."""
    return await _list(request, True)


async def show_flavor(request: Request) -> Response:
    """GET /flavors/{flavor_id}."""
    ctx = authenticated(request)
    check_query(request, minor=102)
    record = await service(request).flavors.get(ctx, request.path_params["flavor_id"])
    return json({"flavor": view(request, record)})


async def create_flavor(request: Request) -> Response:
    """POST /flavors (admin): 200 with the flavor."""
    ctx = authenticated(request)
    document = check(schemas.flavor_create(version(request)), await body(request))
    flavor = document["flavor"]
    if not flavor["name"].strip():
        raise BadRequest("Invalid input for field/attribute name. Value: . name must not be empty")
    record = await service(request).flavors.create(ctx, flavor)
    return json({"flavor": view(request, record)})


async def update_flavor(request: Request) -> Response:
    """PUT /flavors/{flavor_id} (2.55): the description."""
    require(request, 55)
    ctx = authenticated(request)
    document = check(schemas.FLAVOR_UPDATE, await body(request))
    record = await service(request).flavors.update(
        ctx, request.path_params["flavor_id"], document["flavor"]["description"]
    )
    return json({"flavor": view(request, record)})


async def delete_flavor(request: Request) -> Response:
    """DELETE /flavors/{flavor_id}: 202."""
    ctx = authenticated(request)
    await service(request).flavors.delete(ctx, request.path_params["flavor_id"])
    return empty(202)


async def list_extra_specs(request: Request) -> Response:
    """GET /flavors/{flavor_id}/os-extra_specs."""
    ctx = authenticated(request)
    specs = await service(request).extra_specs.list(ctx, request.path_params["flavor_id"])
    return json({"extra_specs": specs})


async def create_extra_specs(request: Request) -> Response:
    """POST /flavors/{flavor_id}/os-extra_specs: set several keys."""
    ctx = authenticated(request)
    document = check(schemas.EXTRA_SPECS, await body(request))
    specs = await service(request).extra_specs.set(
        ctx, request.path_params["flavor_id"], document["extra_specs"], "create"
    )
    return json({"extra_specs": specs})


async def show_extra_spec(request: Request) -> Response:
    """GET /flavors/{flavor_id}/os-extra_specs/{key}."""
    ctx = authenticated(request)
    key = request.path_params["key"]
    value = await service(request).extra_specs.get(ctx, request.path_params["flavor_id"], key)
    return json({key: value})


async def update_extra_spec(request: Request) -> Response:
    """PUT /flavors/{flavor_id}/os-extra_specs/{key}: {key: value}."""
    ctx = authenticated(request)
    document = check(schemas.EXTRA_SPEC, await body(request))
    key = request.path_params["key"]
    if key not in document:
        raise BadRequest("Request body and URI mismatch")
    specs = await service(request).extra_specs.set(
        ctx, request.path_params["flavor_id"], document, "update"
    )
    return json(specs)


async def delete_extra_spec(request: Request) -> Response:
    """DELETE /flavors/{flavor_id}/os-extra_specs/{key}: 200."""
    ctx = authenticated(request)
    await service(request).extra_specs.delete(
        ctx, request.path_params["flavor_id"], request.path_params["key"]
    )
    return empty(200)


def _access_view(flavor_id: str, projects: list[str]) -> Response:
    return json({"flavor_access": [{"flavor_id": flavor_id, "tenant_id": p} for p in projects]})


async def list_flavor_access(request: Request) -> Response:
    """GET /flavors/{flavor_id}/os-flavor-access (admin)."""
    ctx = authenticated(request)
    flavor_id = request.path_params["flavor_id"]
    return _access_view(flavor_id, await service(request).flavor_access.list(ctx, flavor_id))


async def flavor_action(request: Request) -> Response:
    """POST /flavors/{flavor_id}/action: addTenantAccess / removeTenantAccess."""
    ctx = authenticated(request)
    document = await body(request)
    flavor_id = request.path_params["flavor_id"]
    action = next((a for a in ACTIONS if isinstance(document, dict) and a in document), None)
    if action is None:
        name = next(iter(document), "") if isinstance(document, dict) else ""
        raise BadRequest(f"There is no such action: {name}")
    tenant = check(schemas.TENANT, body_of(document, action))["tenant"]
    access = service(request).flavor_access
    projects = await (access.add if action == ACTIONS[0] else access.remove)(ctx, flavor_id, tenant)
    return _access_view(flavor_id, projects)
