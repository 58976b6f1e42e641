"""Images as plain dicts: the entity every API response and notification is built from."""

from __future__ import annotations

import datetime
import operator
from dataclasses import dataclass, field
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
    | {"min_ram", "min_disk", "owner"}
)


def isotime(value: datetime.datetime | None) -> str | None:
    """Glance's timestamp form: ISO 8601 in UTC with a Z and no fraction."""
    return value.isoformat(timespec="seconds") + "Z" if value else None  # strftime: 4x slower


@dataclass
class ImageRow:
    """An image as read for display: its columns, extra properties, tags and data locations."""

    id: str
    name: str | None
    status: str
    visibility: str
    protected: bool
    os_hidden: bool
    checksum: str | None
    os_hash_algo: str | None
    os_hash_value: str | None
    owner: str | None
    size: int | None
    virtual_size: int | None
    container_format: str | None
    disk_format: str | None
    min_ram: int
    min_disk: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    properties: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)


COLUMNS = (*CORE, "created_at", "updated_at")


def from_model(image: Image) -> ImageRow:
    """The ImageRow of an image loaded with the ORM."""
    return ImageRow(
        **{name: getattr(image, name) for name in COLUMNS},
        properties={p.name: p.value for p in image.properties},
        tags=sorted(t.value for t in image.tags),
        locations=[(loc.store, loc.url) for loc in image.locations],
    )


_core_values = operator.attrgetter(*CORE)


def image_dict(image: ImageRow, multistore: bool = False) -> dict[str, Any]:
    """Core attributes, tags, timestamps and extra properties of `image`."""
    out: dict[str, Any] = dict(zip(CORE, _core_values(image), strict=True))
    out["created_at"] = isotime(image.created_at)
    out["updated_at"] = isotime(image.updated_at)
    out["tags"] = image.tags
    out.update(image.properties)
    if multistore and image.locations:
        out["stores"] = ",".join(store for store, _url in image.locations)
    return out


def notification_payload(image: Image | ImageRow) -> dict[str, Any]:
    """The payload Glance's image.* notifications carry."""
    row = image if isinstance(image, ImageRow) else from_model(image)
    payload = {name: getattr(row, name) for name in CORE}
    payload.update(
        created_at=isotime(row.created_at),
        updated_at=isotime(row.updated_at),
        is_public=row.visibility == "public",
        properties=dict(row.properties),
        tags=list(row.tags),
        deleted=row.status == "deleted",
        deleted_at=isotime(row.updated_at) if row.status == "deleted" else None,
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


def member_payload(member: ImageMember, owner: str | None, deleted: bool = False) -> dict[str, Any]:
    """The payload of image.member.* notifications: Glance's, plus the image's owner.

    Glance's payload names only the image and the member; `owner` lets the notification reach
    the project that shares the image without a lookup by whoever consumes it.
    """
    when = isotime(datetime.datetime.now(datetime.UTC).replace(tzinfo=None)) if deleted else None
    return {**member_dict(member), "deleted": deleted, "deleted_at": when, "owner": owner}
