"""Standard attributes as Neutron shows them: timestamps, revisions, tags."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from kilocloud.core.db import Connection, utcnow
from kilocloud.core.errors import BadRequest
from kilocloud.network.errors import RevisionNumberConstraintFailed
from kilocloud.network.models import Tag


def stamp(when: datetime.datetime | None) -> str | None:
    """UTC time as Neutron prints it: YYYY-MM-DDTHH:MM:SSZ."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None


def standard(row: Any, tags: list[str] | None = None) -> dict[str, Any]:
    """project/tenant ids, description, revision, timestamps (and tags when given)."""
    out = {
        "project_id": row.project_id,
        "tenant_id": row.project_id,
        "description": row.description,
        "revision_number": row.revision_number,
        "created_at": stamp(row.created_at),
        "updated_at": stamp(row.updated_at),
    }
    if tags is not None:
        out["tags"] = tags
    return out


async def tags_of(conn: Connection, ids: list[str]) -> dict[str, list[str]]:
    """The tags of each resource in `ids`, sorted."""
    found: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        rows = await conn.execute(select(Tag.resource_id, Tag.tag).where(Tag.resource_id.in_(ids)))
        for resource_id, tag in rows:
            found[resource_id].append(tag)
    return {i: sorted(t) for i, t in found.items()}


def check_tags(tags: Any) -> list[str]:
    """A tag list as Neutron accepts it: at most 50 strings of 1-255 characters."""
    if not isinstance(tags, list) or len(tags) > 50:
        raise BadRequest("Invalid input for tags. Reason: a list of at most 50 tags is required.")
    for tag in tags:
        check_tag(tag)
    return sorted(set(tags))


def check_tag(tag: Any) -> str:
    """One tag: a non-empty string of at most 255 characters, without a comma."""
    if not isinstance(tag, str) or not tag or len(tag) > 255 or "," in tag:
        raise BadRequest(f"Invalid input for operation: '{tag}' is not a valid tag.")
    return tag


async def replace_tags(conn: Connection, resource_id: str, tags: list[str]) -> None:
    """Set the resource's tags to exactly `tags`."""
    await conn.execute(delete(Tag).where(Tag.resource_id == resource_id))
    if tags:
        await conn.execute(insert(Tag), [{"resource_id": resource_id, "tag": t} for t in tags])


def check_revision(if_match: int | None, current: int) -> None:
    """412 when an If-Match revision constraint does not hold."""
    if if_match is not None and if_match != current:
        raise RevisionNumberConstraintFailed(expected=if_match, current=current)


async def bump(conn: Connection, model: type, resource_id: str, **values: Any) -> None:
    """Write `values` to a resource and count one more revision."""
    await conn.execute(
        update(model)
        .where(model.id == resource_id)
        .values(revision_number=model.revision_number + 1, updated_at=utcnow(), **values)
    )
