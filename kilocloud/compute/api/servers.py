"""HTTP face of servers: create, list, show, update, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api import server_views
from kilocloud.compute.api.requests import body, limit, links, next_link, service, since, version
from kilocloud.compute.hosts import is_up
from kilocloud.compute.models import Instance, Service
from kilocloud.compute.service import instances
from kilocloud.compute.service.server_list import list_servers
from kilocloud.compute.validation import boolean, check
from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json


async def extras_for(request: Request, rows: list[Instance], show: bool) -> server_views.Extras:
    """Tags, group and host states the views of `rows` need."""
    deps = service(request).deps
    extras = server_views.Extras()
    server_views.policy_answers(request, extras)
    async with deps.db.read() as session:
        if since(request, 26):
            extras.tags = await instances.tags_of(session, [r.uuid for r in rows])
        if show and since(request, 71) and rows:
            group = await instances.group_of(session, rows[0].uuid)
            extras.group = group.uuid if group else None
        if since(request, 16) and extras.show_host_status:
            down = deps.conf.compute.service_down_time
            for svc in await session.scalars(select(Service)):
                state = "UP" if is_up(svc, down) else "DOWN"
                extras.host_status[svc.host] = "MAINTENANCE" if svc.disabled else state
    return extras


async def create_server(request: Request) -> Response:
    """POST /servers: 202 with id, links, adminPass (or the reservation id)."""
    ctx = authenticated(request)
    document = check(schemas.server_create(version(request)), await body(request))
    hints = document.get("os:scheduler_hints") or document.get("OS-SCH-HNT:scheduler_hints") or {}
    server = document["server"]
    created = await service(request).servers.create(ctx, server, hints)
    if boolean(server.get("return_reservation_id", False)):
        return json({"reservation_id": created.reservation_id}, 202)
    uuid = created.uuids[0]
    out: dict[str, Any] = {
        "id": uuid,
        "links": links(request, "servers", uuid),
        "OS-DCF:diskConfig": server.get("OS-DCF:diskConfig", "MANUAL"),
        "security_groups": [{"name": n} for n in created.security_groups or ["default"]],
    }
    if created.admin_pass is not None:
        out["adminPass"] = created.admin_pass
    return json({"server": out}, 202, {"Location": out["links"][0]["href"]})


async def _list(request: Request, detail: bool) -> Response:
    ctx = authenticated(request)
    size = limit(request) or service(request).deps.conf.compute.max_limit
    params = list(request.query_params.multi_items())
    rule = "detail" if detail else "index"
    rows = await list_servers(service(request).deps, ctx, params, version(request), size, rule)
    if detail:
        extras = await extras_for(request, rows, False)
        items = [server_views.server(request, r, extras, show=False) for r in rows]
    else:
        items = [server_views.summary(request, r) for r in rows]
    out: dict[str, Any] = {"servers": items}
    if rows and len(rows) == size:
        path = "servers/detail" if detail else "servers"
        out["servers_links"] = [next_link(request, path, rows[-1].uuid)]
    return json(out)


async def list_servers_index(request: Request) -> Response:
    """GET /servers."""
    return await _list(request, False)


async def list_servers_detail(request: Request) -> Response:
    """GET /servers/detail."""
    return await _list(request, True)


async def show_view(request: Request, row: Instance, reduced: bool = False) -> dict[str, Any]:
    """The full server document of `row`."""
    extras = await extras_for(request, [row], True)
    return {"server": server_views.server(request, row, extras, True, reduced)}


async def show_server(request: Request) -> Response:
    """GET /servers/{server_id}."""
    ctx = authenticated(request)
    row = await service(request).servers.get(ctx, request.path_params["server_id"])
    return json(await show_view(request, row))


async def update_server(request: Request) -> Response:
    """PUT /servers/{server_id}: the server (reduced before 2.75)."""
    ctx = authenticated(request)
    document = check(schemas.server_update(version(request)), await body(request))
    row = await service(request).servers.update(
        ctx, request.path_params["server_id"], document["server"]
    )
    return json(await show_view(request, row, reduced=not since(request, 75)))


async def delete_server(request: Request) -> Response:
    """DELETE /servers/{server_id}: 204."""
    ctx = authenticated(request)
    await service(request).servers.delete(ctx, request.path_params["server_id"])
    return empty(204)
