"""HTTP face of key pairs."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import (
    body,
    check_query,
    limit,
    next_link,
    service,
    since,
    version,
)
from kilocloud.compute.models import KeyPair
from kilocloud.compute.validation import check
from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json


def _summary(request: Request, row: KeyPair) -> dict[str, Any]:
    out = {"name": row.name, "public_key": row.public_key, "fingerprint": row.fingerprint}
    if since(request, 2):
        out["type"] = row.type
    return out


def _user(request: Request) -> str | None:
    check_query(request, ("user_id",))
    return request.query_params.get("user_id") if since(request, 10) else None


async def create_keypair(request: Request) -> Response:
    """POST /os-keypairs: generate or import; 200 (2.1) or 201 (2.2+)."""
    ctx = authenticated(request)
    document = check(schemas.keypair_create(version(request)), await body(request))
    row, private = await service(request).keypairs.create(ctx, document["keypair"])
    out = {**_summary(request, row), "user_id": row.user_id}
    if private is not None:
        out["private_key"] = private
    return json({"keypair": out}, 201 if since(request, 2) else 200)


async def list_keypairs(request: Request) -> Response:
    """GET /os-keypairs (limit/marker from 2.35)."""
    ctx = authenticated(request)
    check_query(request, ("user_id", "limit", "marker"))
    paged = since(request, 35)
    size = limit(request) if paged else None
    marker = request.query_params.get("marker") if paged else None
    user_id = request.query_params.get("user_id") if since(request, 10) else None
    rows = await service(request).keypairs.list(ctx, user_id, size, marker)
    out: dict[str, Any] = {"keypairs": [{"keypair": _summary(request, r)} for r in rows]}
    if paged and size is not None and rows and len(rows) == size:
        out["keypairs_links"] = [next_link(request, "os-keypairs", rows[-1].name)]
    return json(out)


async def show_keypair(request: Request) -> Response:
    """GET /os-keypairs/{name}."""
    ctx = authenticated(request)
    row = await service(request).keypairs.get(ctx, request.path_params["name"], _user(request))
    out = {
        **_summary(request, row),
        "id": row.id,
        "user_id": row.user_id,
        "created_at": row.created_at.isoformat(),
        "deleted": False,
        "deleted_at": None,
        "updated_at": None,
    }
    return json({"keypair": out})


async def delete_keypair(request: Request) -> Response:
    """DELETE /os-keypairs/{name}: 202 (2.1) or 204 (2.2+)."""
    ctx = authenticated(request)
    await service(request).keypairs.delete(ctx, request.path_params["name"], _user(request))
    return empty(204 if since(request, 2) else 202)
