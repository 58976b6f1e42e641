"""Images as plain dicts: the entity every API response and notification is built from."""

from __future__ import annotations

import datetime
from typing import Any

from kilocloud.image.models import Image, ImageMember

CORE = (
    "id",
    "name",
    "status",
    "visibility",
    "protected",
    "os_hidden",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "owner",
    "size",
    "virtual_size",
    "container_format",
    "disk_format",
    "min_ram",
    "min_disk",
)
WRITABLE_CORE = frozenset(
    {"name", "visibility", "protected", "os_hidden", "container_format", "disk_format"}
    | {"min_ram", "min_disk"}
)


def isotime(value: datetime.datetime | None) -> str | None:
    """Glance's timestamp form: ISO 8601 in UTC with a Z and no fraction."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def image_dict(image: Image, multistore: bool = False) -> dict[str, Any]:
    """Core attributes, tags, timestamps and extra properties of `image`."""
    out: dict[str, Any] = {name: getattr(image, name) for name in CORE}
    out["created_at"] = isotime(image.created_at)
    out["updated_at"] = isotime(image.updated_at)
    out["tags"] = sorted(t.value for t in image.tags)
    for prop in image.properties:
        out[prop.name] = prop.value
    if multistore and image.locations:
        out["stores"] = ",".join(loc.store for loc in image.locations)
    return out


def properties(image: Image) -> dict[str, str]:
    """The extra (free-form) properties of `image`."""
    return {p.name: p.value for p in image.properties}


def notification_payload(image: Image) -> dict[str, Any]:
    """The payload Glance's image.* notifications carry."""
    payload = {name: getattr(image, name) for name in CORE}
    payload.update(
        created_at=isotime(image.created_at),
        updated_at=isotime(image.updated_at),
        is_public=image.visibility == "public",
        properties=properties(image),
        tags=sorted(t.value for t in image.tags),
        deleted=image.status == "deleted",
        deleted_at=isotime(image.updated_at) if image.status == "deleted" else None,
    )
    return payload


def member_dict(member: ImageMember) -> dict[str, Any]:
    """A membership as the members API shows it."""
    return {
        "image_id": member.image_id,
        "member_id": member.member,
        "status": member.status,
        "created_at": isotime(member.created_at),
        "updated_at": isotime(member.updated_at),
    }


def member_payload(member: ImageMember, deleted: bool = False) -> dict[str, Any]:
    """The payload of image.member.* notifications."""
    return {**member_dict(member), "deleted": deleted, "deleted_at": None}
