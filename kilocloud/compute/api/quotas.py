"""HTTP face of quota sets, limits and availability zones."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kilocloud.compute import schemas
from kilocloud.compute.api.requests import body, check_query, service, since, version
from kilocloud.compute.service.quotas import resources
from kilocloud.compute.validation import check
from kilocloud.core.auth import authenticated
from kilocloud.core.http import empty, json


def _shown(request: Request, values: dict[str, Any]) -> dict[str, Any]:
    return {r: values[r] for r in resources(version(request))}


def _target(request: Request) -> tuple[str, str | None]:
    check_query(request, ("user_id",))
    return request.path_params["project_id"], request.query_params.get("user_id")


async def show_quota_set(request: Request) -> Response:
    """GET /os-quota-sets/{project_id}."""
    ctx = authenticated(request)
    limits = await service(request).quotas.show(ctx, *_target(request))
    return json({"quota_set": {"id": request.path_params["project_id"], **_shown(request, limits)}})


async def show_quota_set_detail(request: Request) -> Response:
    """GET /os-quota-sets/{project_id}/detail."""
    ctx = authenticated(request)
    detail = await service(request).quotas.detail(ctx, *_target(request))
    return json({"quota_set": {"id": request.path_params["project_id"], **_shown(request, detail)}})


async def show_quota_defaults(request: Request) -> Response:
    """GET /os-quota-sets/{project_id}/defaults."""
    ctx = authenticated(request)
    check_query(request, minor=102)
    quotas = service(request).quotas
    service(request).deps.enforce(ctx, "os-quota-sets:defaults")
    defaults = {r: quotas.default(r) for r in resources(version(request))}
    return json({"quota_set": {"id": request.path_params["project_id"], **defaults}})


async def update_quota_set(request: Request) -> Response:
    """PUT /os-quota-sets/{project_id} (admin): the new limits, without id."""
    ctx = authenticated(request)
    document = check(schemas.quota_update(resources(version(request))), await body(request))
    limits = await service(request).quotas.update(
        ctx, *_target(request), dict(document["quota_set"])
    )
    return json({"quota_set": _shown(request, limits)})


async def delete_quota_set(request: Request) -> Response:
    """DELETE /os-quota-sets/{project_id} (admin): 202."""
    ctx = authenticated(request)
    await service(request).quotas.delete(ctx, *_target(request))
    return empty(202)


def _absolute(request: Request, limits: dict[str, int], used: dict[str, int]) -> dict[str, int]:
    out = {
        "maxTotalRAMSize": limits["ram"],
        "maxTotalInstances": limits["instances"],
        "maxTotalCores": limits["cores"],
        "maxTotalKeypairs": limits["key_pairs"],
        "maxServerMeta": limits["metadata_items"],
        "maxServerGroups": limits["server_groups"],
        "maxServerGroupMembers": limits["server_group_members"],
        "totalRAMUsed": used["ram"],
        "totalCoresUsed": used["cores"],
        "totalInstancesUsed": used["instances"],
        "totalServerGroupsUsed": used["server_groups"],
    }
    if not since(request, 39):
        out["maxImageMeta"] = limits["metadata_items"]
    if not since(request, 57):
        out["maxPersonality"] = limits["injected_files"]
        out["maxPersonalitySize"] = limits["injected_file_content_bytes"]
    if not since(request, 36):
        out.update(
            {
                "maxTotalFloatingIps": -1,
                "maxSecurityGroups": -1,
                "maxSecurityGroupRules": -1,
                "totalFloatingIpsUsed": 0,
                "totalSecurityGroupsUsed": 0,
            }
        )
    return out


async def show_limits(request: Request) -> Response:
    """GET /limits[?tenant_id= for admins]."""
    ctx = authenticated(request)
    check_query(request, ("tenant_id",))
    deps = service(request).deps
    deps.enforce(ctx, "limits")
    project_id = ctx.project_id
    if (other := request.query_params.get("tenant_id")) and other != ctx.project_id:
        deps.enforce(ctx, "limits:other_project", {"project_id": other})
        project_id = other
    quotas = service(request).quotas
    limits = await quotas.limits(project_id)
    used = await quotas.usage(project_id)
    return json({"limits": {"rate": [], "absolute": _absolute(request, limits, used)}})


async def list_availability_zones(request: Request) -> Response:
    """GET /os-availability-zone."""
    ctx = authenticated(request)
    check_query(request, minor=102)
    return json({"availabilityZoneInfo": await service(request).zones.list(ctx)})


async def list_availability_zones_detail(request: Request) -> Response:
    """GET /os-availability-zone/detail (admin)."""
    ctx = authenticated(request)
    check_query(request, minor=102)
    return json({"availabilityZoneInfo": await service(request).zones.detail(ctx)})
