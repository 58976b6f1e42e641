"""POST /servers: validate, enforce, check quotas, write the rows, hand them to the conductor."""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from kilocloud.compute import images, states
from kilocloud.compute.images import HttpImageSource, ImageNotFound
from kilocloud.compute.models import Instance, InstanceAction, InstanceTag, ServerGroupMember
from kilocloud.compute.scheduler.filters import Request, drivers_for
from kilocloud.compute.service.conductor import BuildRequest
from kilocloud.compute.service.flavors import FlavorRecord
from kilocloud.compute.validation import boolean
from kilocloud.core.context import RequestContext
from kilocloud.core.errors import BadRequest


@dataclass
class Created:
    """What the create call answers."""

    uuids: list[str]
    reservation_id: str
    admin_pass: str | None
    security_groups: list[str] = field(default_factory=list)


def flavor_copy(record: FlavorRecord) -> dict[str, Any]:
    """The flavor as the instance keeps it (Nova's embedded flavor)."""
    row = record.row
    return {
        "id": row.flavorid,
        "name": row.name,
        "vcpus": row.vcpus,
        "ram": row.memory_mb,
        "disk": row.root_gb,
        "ephemeral": row.ephemeral_gb,
        "swap": row.swap,
        "extra_specs": record.extra_specs,
    }


def _image_id(server: dict[str, Any]) -> str:
    """imageRef, or the image of a boot_index 0 image-sourced block device."""
    for bdm in server.get("block_device_mapping_v2") or []:
        if bdm.get("source_type") == "image" and str(bdm.get("boot_index", "")) == "0":
            return bdm.get("uuid", "")
    if not server.get("imageRef"):
        raise BadRequest("Missing imageRef attribute")
    return server["imageRef"]


async def image_for(ctx: RequestContext, conf: Any, image_id: str) -> dict[str, Any]:
    """The image document, 400 in Nova's words when missing or not active."""
    source = HttpImageSource(images.endpoint(conf, ctx), ctx.token or "")
    try:
        doc = await source.document(image_id)
    except ImageNotFound:
        raise BadRequest("Can not find requested image") from None
    if doc.get("status") != "active":
        raise BadRequest(f"Image {image_id} is not active.")
    return doc


def check_fits(flavor: dict[str, Any], image: dict[str, Any]) -> None:
    """400 when the flavor is smaller than the image asks."""
    if (image.get("min_ram") or 0) > flavor["ram"]:
        raise BadRequest("Flavor's memory is too small for requested image.")
    disk_bytes = flavor["disk"] * 1024**3
    too_big = (image.get("size") or 0) > disk_bytes or (image.get("min_disk") or 0) > flavor["disk"]
    if flavor["disk"] and too_big:
        raise BadRequest("Flavor's disk is too small for requested image.")


def counts(server: dict[str, Any]) -> tuple[int, int]:
    """(min_count, max_count); 400 when min > max."""
    low = int(server.get("min_count", 1))
    high = int(server.get("max_count", low))
    if low > high:
        raise BadRequest("min_count must be <= max_count")
    return low, high


def user_data(server: dict[str, Any]) -> str | None:
    """The base64 user data, 400 when it is not base64."""
    value = server.get("user_data")
    if value is None:
        return None
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("User data needs to be valid base 64.") from None
    return value


def hostname_of(name: str, index: int, count: int) -> str:
    """Nova's sanitized hostname of a display name (with -N for multi-create)."""
    host = re.sub(r"[^\w.-]+", "-", name.lower().replace("_", "-")).strip(".-")[:63] or "server"
    return f"{host}-{index + 1}" if count > 1 else host


def new_rows(
    ctx: RequestContext, server: dict[str, Any], built: dict[str, Any], count: int
) -> list[Instance]:
    """One BUILD/scheduling row per server of the batch."""
    rows = []
    for index in range(count):
        name = server["name"] if count == 1 else f"{server['name']}-{index + 1}"
        rows.append(
            Instance(
                uuid=str(uuid.uuid4()),
                project_id=ctx.project_id,
                user_id=ctx.user_id,
                display_name=name,
                display_description=server.get("description"),
                hostname=server.get("hostname") or hostname_of(server["name"], index, count),
                launch_index=index,
                vm_state=states.BUILDING,
                task_state="scheduling",
                power_state=0,
                **built,
            )
        )
    return rows


def extras(
    rows: list[Instance], ctx: RequestContext, tags: list[str], group_id: int | None
) -> list:
    """Tag, group membership and 'create' action rows of a new batch."""
    found: list = []
    for row in rows:
        found += [InstanceTag(instance_uuid=row.uuid, tag=t) for t in dict.fromkeys(tags)]
        if group_id is not None:
            found.append(ServerGroupMember(group_id=group_id, instance_uuid=row.uuid))
        found.append(
            InstanceAction(
                instance_uuid=row.uuid,
                action="create",
                request_id=ctx.request_id,
                user_id=ctx.user_id,
                project_id=ctx.project_id,
            )
        )
    return found


def placement(
    flavor: dict[str, Any], image: dict[str, Any], zone: str | None, host: str | None, group: Any
) -> Request:
    """What the scheduler must find for each server."""
    return Request(
        vcpus=flavor["vcpus"],
        memory_mb=flavor["ram"],
        disk_gb=flavor["disk"] + flavor["ephemeral"] + (flavor["swap"] + 1023) // 1024,
        drivers=drivers_for(image.get("container_format"), image.get("disk_format")),
        zone=zone,
        host=host,
        group_policy=group.policy if group else None,
        max_per_host=(group.rules or {}).get("max_server_per_host") if group else None,
    )


def admin_pass(server: dict[str, Any], enabled: bool) -> str | None:
    """The given adminPass, or a random one when passwords are enabled."""
    if not enabled:
        return None
    return server.get("adminPass") or secrets.token_urlsafe(9)[:12]


def build_request(
    rows: list[Instance], req: Request, group_id: int | None, ctx: RequestContext, image_url: str
) -> BuildRequest:
    """The conductor's work for this batch."""
    return BuildRequest(
        [r.uuid for r in rows], req, group_id, ctx.token or "", image_url, ctx.request_id
    )


def zone_and_host(server: dict[str, Any]) -> tuple[str | None, str | None]:
    """'az', 'az:host' or 'az:host:node' of availability_zone, and the 2.74 host."""
    zone = server.get("availability_zone")
    host = server.get("host")
    if zone and ":" in zone:
        zone, _, rest = zone.partition(":")
        host = rest.split(":")[0] or host
    return zone or None, host


def config_drive(server: dict[str, Any]) -> bool:
    """The config_drive flag, from Nova's boolean spellings."""
    value = server.get("config_drive")
    return False if value in (None, "") else boolean(value)


def require_key(found: Any) -> None:
    """400 for a key_name the user does not own."""
    if found is None:
        raise BadRequest("Invalid key_name provided.")
