"""HTTP face of os-services and os-hypervisors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute.api.requests import body, require, service, since
from kilocloud.compute.models import ComputeNode, Service
from kilocloud.compute.validation import boolean
from kilocloud.core.auth import authenticated
from kilocloud.core.errors import BadRequest, NotFound
from kilocloud.core.http import empty, json

STATS = ("vcpus", "memory_mb", "local_gb", "vcpus_used", "memory_mb_used", "local_gb_used")


def _time(value: Any) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def service_view(request: Request, row: Service, zone: str, up: bool) -> dict[str, Any]:
    """A compute service as the request's version shows it."""
    out = {
        "id": row.uuid if since(request, 53) else row.id,
        "binary": row.binary,
        "host": row.host,
        "zone": zone,
        "status": "disabled" if row.disabled else "enabled",
        "state": "up" if up else "down",
        "updated_at": _time(row.updated_at),
        "disabled_reason": row.disabled_reason,
    }
    if since(request, 11):
        out["forced_down"] = row.forced_down
    return out


async def list_services(request: Request) -> Response:
    """GET /os-services[?host=&binary=]."""
    ctx = authenticated(request)
    admin = service(request).hosts
    rows = await admin.services(
        ctx, request.query_params.get("host"), request.query_params.get("binary")
    )
    zones = await admin.zones()
    default = admin.deps.conf.compute.default_availability_zone
    return json(
        {
            "services": [
                service_view(request, r, zones.get(r.host, default), admin.up(r)) for r in rows
            ]
        }
    )


async def update_service_legacy(request: Request) -> Response:
    """PUT /os-services/{enable|disable|disable-log-reason|force-down} before 2.53."""
    ctx = authenticated(request)
    action = request.path_params["action"]
    if since(request, 53) or action not in (
        "enable",
        "disable",
        "disable-log-reason",
        "force-down",
    ):
        return await update_service(request)
    document = await body(request)
    host, binary = document.get("host"), document.get("binary")
    if not host or not binary:
        raise BadRequest("Missing host or binary.")
    admin = service(request).hosts
    found = await admin.find_service(
        ctx, (Service.host == host) & (Service.binary == binary), f"{host} {binary}"
    )
    changes: dict[str, Any] = {"disabled": action != "enable"}
    out: dict[str, Any] = {"host": host, "binary": binary}
    if action == "force-down":
        require(request, 11)
        changes = {"forced_down": boolean(document.get("forced_down", True))}
        out["forced_down"] = changes["forced_down"]
    else:
        changes["disabled_reason"] = (
            document.get("disabled_reason") if action == "disable-log-reason" else None
        )
        out["status"] = "enabled" if action == "enable" else "disabled"
        if action == "disable-log-reason":
            out["disabled_reason"] = changes["disabled_reason"]
    await admin.update_service(ctx, found, changes)
    return json({"service": out})


async def update_service(request: Request) -> Response:
    """PUT /os-services/{service_id} (2.53): status, disabled_reason, forced_down."""
    require(request, 53)
    ctx = authenticated(request)
    document = (await body(request)) or {}
    admin = service(request).hosts
    found = await admin.find_service(
        ctx, Service.uuid == request.path_params["action"], request.path_params["action"]
    )
    changes: dict[str, Any] = {}
    if "status" in document:
        if document["status"] not in ("enabled", "disabled"):
            raise BadRequest("Invalid input for field/attribute status.")
        changes["disabled"] = document["status"] == "disabled"
        changes["disabled_reason"] = (
            document.get("disabled_reason") if changes["disabled"] else None
        )
    elif "disabled_reason" in document:
        raise BadRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.")
    if "forced_down" in document:
        changes["forced_down"] = boolean(document["forced_down"])
    row = await admin.update_service(ctx, found, changes)
    zone = (await admin.zones()).get(row.host, admin.deps.conf.compute.default_availability_zone)
    return json({"service": service_view(request, row, zone, admin.up(row))})


async def delete_service(request: Request) -> Response:
    """DELETE /os-services/{service_id}: 204."""
    ctx = authenticated(request)
    await service(request).hosts.delete_service(ctx, request.path_params["action"])
    return empty(204)


def hypervisor_view(
    request: Request, node: ComputeNode, svc: Service, up: bool, detail: bool, running: int
) -> dict[str, Any]:
    """A hypervisor as the request's version shows it."""
    out: dict[str, Any] = {
        "id": node.uuid if since(request, 53) else node.id,
        "hypervisor_hostname": node.hypervisor_hostname,
        "state": "up" if up else "down",
        "status": "disabled" if svc.disabled else "enabled",
    }
    if not detail:
        return out
    out.update(
        {
            "hypervisor_type": node.hypervisor_type,
            "hypervisor_version": node.hypervisor_version,
            "host_ip": node.host_ip,
            "service": {
                "id": svc.uuid if since(request, 53) else svc.id,
                "host": svc.host,
                "disabled_reason": svc.disabled_reason,
            },
        }
    )
    if since(request, 88):
        out["uptime"] = None
        return out
    out.update({key: getattr(node, key) for key in STATS})
    out.update(
        {
            "free_ram_mb": node.memory_mb - node.memory_mb_used,
            "free_disk_gb": node.local_gb - node.local_gb_used,
            "current_workload": 0,
            "running_vms": running,
            "disk_available_least": node.local_gb - node.local_gb_used,
            "cpu_info": {} if since(request, 28) else "",
        }
    )
    return out


async def _hypervisors(request: Request, detail: bool, rule: str) -> list[dict[str, Any]]:
    ctx = authenticated(request)
    admin = service(request).hosts
    running = await admin.running()
    found = []
    for node, svc in await admin.hypervisors(ctx, rule):
        view = hypervisor_view(request, node, svc, admin.up(svc), detail, running.get(node.host, 0))
        if since(request, 53) and boolean(request.query_params.get("with_servers", "false")):
            view["servers"] = await admin.servers_on(node.host)
        pattern = request.query_params.get("hypervisor_hostname_pattern")
        if pattern is None or pattern in node.hypervisor_hostname:
            found.append(view)
    return found


async def list_hypervisors(request: Request) -> Response:
    """GET /os-hypervisors."""
    return json({"hypervisors": await _hypervisors(request, False, "list")})


async def list_hypervisors_detail(request: Request) -> Response:
    """GET /os-hypervisors/detail."""
    return json({"hypervisors": await _hypervisors(request, True, "list-detail")})


async def show_hypervisor(request: Request) -> Response:
    """GET /os-hypervisors/{hypervisor_id}."""
    wanted = request.path_params["hypervisor_id"]
    for view in await _hypervisors(request, True, "show"):
        if str(view["id"]) == wanted:
            return json({"hypervisor": view})
    raise NotFound(f"Hypervisor with ID '{wanted}' could not be found.")


async def hypervisor_statistics(request: Request) -> Response:
    """GET /os-hypervisors/statistics (before 2.88)."""
    require(request, 1, 87)
    ctx = authenticated(request)
    admin = service(request).hosts
    rows = await admin.hypervisors(ctx, "statistics")
    running = await admin.running()
    totals = {key: sum(getattr(n, key) for n, _ in rows) for key in STATS}
    totals.update(
        {
            "count": len(rows),
            "free_ram_mb": totals["memory_mb"] - totals["memory_mb_used"],
            "free_disk_gb": totals["local_gb"] - totals["local_gb_used"],
            "current_workload": 0,
            "running_vms": sum(running.values()),
            "disk_available_least": totals["local_gb"] - totals["local_gb_used"],
        }
    )
    return json({"hypervisor_statistics": totals})
