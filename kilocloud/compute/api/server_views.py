"""Servers as each microversion shows them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from kilocloud.compute import states
from kilocloud.compute.api.requests import links, root, service, since
from kilocloud.compute.models import Instance
from kilocloud.core.auth import authenticated

REDUCED_DROP = (
    "OS-EXT-AZ:availability_zone",
    "config_drive",
    "key_name",
    "security_groups",
    "OS-EXT-STS:task_state",
    "OS-EXT-STS:vm_state",
    "OS-EXT-STS:power_state",
    "OS-SRV-USG:launched_at",
    "OS-SRV-USG:terminated_at",
    "os-extended-volumes:volumes_attached",
    "host_status",
)


@dataclass
class Extras:
    """What a view needs beyond the row: tags, group, host states, policy answers."""

    tags: dict[str, list[str]] = field(default_factory=dict)
    group: str | None = None
    host_status: dict[str, str] = field(default_factory=dict)
    # policy answers, asked once per request rather than once per server
    extra_specs: bool = False
    extended: bool = False
    show_host_status: bool = False
    admin: bool = False


def _time(value: Any) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _usage_time(value: Any) -> str | None:
    return value.isoformat(timespec="microseconds") if value else None


def _flavor(request: Request, row: Instance, extras: Extras) -> dict[str, Any]:
    flavor = row.flavor
    if not since(request, 47):
        root_url = root(request)
        return {
            "id": flavor["id"],
            "links": [{"rel": "bookmark", "href": f"{root_url}/flavors/{flavor['id']}"}],
        }
    out = {
        "vcpus": flavor["vcpus"],
        "ram": flavor["ram"],
        "disk": flavor["disk"],
        "ephemeral": flavor["ephemeral"],
        "swap": flavor["swap"],
        "original_name": flavor["name"],
    }
    if extras.extra_specs:
        out["extra_specs"] = flavor.get("extra_specs", {})
    return out


def _image(request: Request, row: Instance) -> Any:
    if not row.image_ref:
        return ""
    root_url = root(request)
    out: dict[str, Any] = {
        "id": row.image_ref,
        "links": [{"rel": "bookmark", "href": f"{root_url}/images/{row.image_ref}"}],
    }
    if since(request, 98):
        out["properties"] = dict((row.image or {}).get("properties", {}))
    return out


def server(
    request: Request, row: Instance, extras: Extras, show: bool = True, reduced: bool = False
) -> dict[str, Any]:
    """One server: detail and show (show=True adds 2.71 server_groups)."""
    status = states.status(row.vm_state, row.task_state)
    host_id = hashlib.sha224((row.project_id + (row.host or "")).encode()).hexdigest()
    out: dict[str, Any] = {
        "id": row.uuid,
        "name": row.display_name,
        "status": status,
        "tenant_id": row.project_id,
        "user_id": row.user_id,
        "metadata": dict(row.meta or {}),
        "hostId": host_id if row.host else "",
        "image": _image(request, row),
        "flavor": _flavor(request, row, extras),
        "created": _time(row.created_at),
        "updated": _time(row.updated_at),
        "addresses": dict(row.addresses or {}),
        "accessIPv4": row.access_ip_v4 or "",
        "accessIPv6": row.access_ip_v6 or "",
        "links": links(request, "servers", row.uuid),
        "OS-DCF:diskConfig": "AUTO" if row.auto_disk_config else "MANUAL",
        "key_name": row.key_name,
        "config_drive": "True" if row.config_drive else "",
        "OS-EXT-AZ:availability_zone": row.availability_zone or "",
        "OS-EXT-STS:task_state": row.task_state,
        "OS-EXT-STS:vm_state": row.vm_state,
        "OS-EXT-STS:power_state": row.power_state,
        "OS-SRV-USG:launched_at": _usage_time(row.launched_at),
        "OS-SRV-USG:terminated_at": _usage_time(row.terminated_at),
        "os-extended-volumes:volumes_attached": [],
    }
    if row.security_groups:
        out["security_groups"] = [{"name": n} for n in row.security_groups]
    if status in states.PROGRESS_SHOWN:
        out["progress"] = row.progress or 0
    if row.fault and status in ("ERROR", "DELETED"):
        out["fault"] = _fault(row.fault, extras.admin)
    _extended(request, row, extras, out)
    _versioned(request, row, extras, show, out)
    if reduced:
        for key in REDUCED_DROP:
            out.pop(key, None)
        for key in [k for k in out if k.startswith("OS-EXT-SRV-ATTR:")]:
            del out[key]
    return out


def _fault(fault: dict[str, Any], admin: bool) -> dict[str, Any]:
    out = {"code": fault["code"], "created": fault["created"], "message": fault["message"]}
    if admin or fault["code"] != 500:
        out["details"] = fault.get("details", "")
    return out


def _extended(request: Request, row: Instance, extras: Extras, out: dict[str, Any]) -> None:
    """OS-EXT-SRV-ATTR:* for those the policy lets see them (hostname for all from 2.90)."""
    if extras.extended:
        out.update(
            {
                "OS-EXT-SRV-ATTR:host": row.host,
                "OS-EXT-SRV-ATTR:hypervisor_hostname": row.node,
                "OS-EXT-SRV-ATTR:instance_name": f"instance-{row.id:08x}",
            }
        )
        if since(request, 3):
            out.update(
                {
                    "OS-EXT-SRV-ATTR:hostname": row.hostname,
                    "OS-EXT-SRV-ATTR:kernel_id": "",
                    "OS-EXT-SRV-ATTR:launch_index": row.launch_index,
                    "OS-EXT-SRV-ATTR:ramdisk_id": "",
                    "OS-EXT-SRV-ATTR:reservation_id": row.reservation_id,
                    "OS-EXT-SRV-ATTR:root_device_name": None,
                    "OS-EXT-SRV-ATTR:user_data": row.user_data,
                }
            )
    elif since(request, 90):
        out["OS-EXT-SRV-ATTR:hostname"] = row.hostname


def _versioned(
    request: Request, row: Instance, extras: Extras, show: bool, out: dict[str, Any]
) -> None:
    """Fields later microversions added."""
    if since(request, 9):
        out["locked"] = row.locked
    if since(request, 16) and extras.show_host_status:
        out["host_status"] = extras.host_status.get(row.host or "", "") if row.host else ""
    if since(request, 19):
        out["description"] = row.display_description
    if since(request, 26):
        out["tags"] = extras.tags.get(row.uuid, [])
    if since(request, 63):
        out["trusted_image_certificates"] = None
    if since(request, 71) and show:
        out["server_groups"] = [extras.group] if extras.group else []
    if since(request, 73):
        out["locked_reason"] = row.locked_reason
    if since(request, 96):
        out["pinned_availability_zone"] = row.pinned_availability_zone
    if since(request, 100):
        out["scheduler_hints"] = dict(row.scheduler_hints or {})


def summary(request: Request, row: Instance) -> dict[str, Any]:
    """A server in the index list: id, links, name."""
    return {"id": row.uuid, "links": links(request, "servers", row.uuid), "name": row.display_name}


def policy_answers(request: Request, extras: Extras) -> None:
    """Ask the policy once what this caller may see of any server."""
    ctx = authenticated(request)
    deps = service(request).deps
    extras.extra_specs = deps.allowed(ctx, "servers:show:flavor-extra-specs")
    extras.extended = deps.allowed(ctx, "os-extended-server-attributes")
    extras.show_host_status = deps.allowed(ctx, "servers:show:host_status")
    extras.admin = ctx.is_admin
