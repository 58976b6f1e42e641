"""Versioned notification payloads, as Nova's ovo primitives carry them."""

from __future__ import annotations

import datetime
from typing import Any

from kilocloud.compute.models import Instance


def _time(value: datetime.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def envelope(name: str, version: str, data: dict[str, Any]) -> dict[str, Any]:
    """{nova_object.name, namespace, version, data}."""
    return {
        "nova_object.name": name,
        "nova_object.namespace": "nova",
        "nova_object.version": version,
        "nova_object.data": data,
    }


def flavor_payload(flavor: dict[str, Any]) -> dict[str, Any]:
    """The FlavorPayload of an instance's flavor copy."""
    return envelope(
        "FlavorPayload",
        "1.4",
        {
            "flavorid": flavor["id"],
            "name": flavor["name"],
            "memory_mb": flavor["ram"],
            "vcpus": flavor["vcpus"],
            "root_gb": flavor["disk"],
            "ephemeral_gb": flavor["ephemeral"],
            "swap": flavor["swap"],
            "extra_specs": flavor.get("extra_specs", {}),
        },
    )


def instance_payload(row: Instance, fault: dict[str, Any] | None = None) -> dict[str, Any]:
    """An InstanceActionPayload: what an instance.* notification says about the server."""
    ips = [
        {
            "address": a["addr"],
            "version": a["version"],
            "mac": a.get("OS-EXT-IPS-MAC:mac_addr"),
            "label": label,
            "port_uuid": None,
            "meta": {},
            "device_name": None,
        }
        for label, addresses in (row.addresses or {}).items()
        for a in addresses
    ]
    data = {
        "uuid": row.uuid,
        "display_name": row.display_name,
        "display_description": row.display_description,
        "host": row.host,
        "host_name": row.hostname,
        "node": row.node,
        "tenant_id": row.project_id,
        "user_id": row.user_id,
        "state": row.vm_state,
        "task_state": row.task_state,
        "power_state": _POWER.get(row.power_state, "pending"),
        "architecture": None,
        "availability_zone": row.availability_zone,
        "block_devices": [],
        "created_at": _time(row.created_at),
        "launched_at": _time(row.launched_at),
        "terminated_at": _time(row.terminated_at),
        "deleted_at": _time(row.deleted_at),
        "updated_at": _time(row.updated_at),
        "flavor": flavor_payload(row.flavor),
        "image_uuid": row.image_ref,
        "ip_addresses": ips,
        "kernel_id": "",
        "ramdisk_id": "",
        "key_name": row.key_name,
        "metadata": dict(row.meta or {}),
        "locked": row.locked,
        "locked_reason": row.locked_reason,
        "os_type": None,
        "progress": row.progress,
        "reservation_id": row.reservation_id,
        "auto_disk_config": "MANUAL",
        "request_id": None,
        "action_initiator_user": row.user_id,
        "action_initiator_project": row.project_id,
        "shares": [],
        "fault": fault,
    }
    return envelope("InstanceActionPayload", "1.9", data)


_POWER = {0: "pending", 1: "running", 3: "paused", 4: "shutdown", 6: "crashed", 7: "suspended"}
