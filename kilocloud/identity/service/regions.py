"""Regions: a tree of places endpoints live in."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.core.errors import Forbidden
from kilocloud.identity.models import Endpoint, Region
from kilocloud.identity.service import Identity, catalog, records

COLUMNS = ("id", "description", "parent_region_id")


async def _check_parent(session: AsyncSession, region_id: str, parent_id: str | None) -> None:
    """The parent must exist and must not be the region itself or one of its descendants."""
    while parent_id:
        if parent_id == region_id:
            raise records.bad_field("region.parent_region_id", "it would make a loop.")
        parent = await session.get(Region, parent_id)
        if parent is None:
            raise records.bad_field("region.parent_region_id", f"no region {parent_id}.")
        parent_id = parent.parent_region_id


async def create(
    idn: Identity, ctx: RequestContext, ref: dict[str, Any], region_id: str | None = None
) -> Region:
    """Create a region, with the id the client chose if any."""
    idn.enforce(ctx, "create_region")
    region_id = region_id or ref.get("id") or uuid.uuid4().hex
    async with records.writing(idn, "region") as session:
        if await session.get(Region, region_id) is not None:
            raise records.duplicate("region", f"found with ID {region_id}")
        await _check_parent(session, region_id, ref.get("parent_region_id"))
        region = Region(
            id=region_id,
            description=ref.get("description"),
            parent_region_id=ref.get("parent_region_id"),
            extra=records.extra_of(ref, COLUMNS),
        )
        session.add(region)
    await idn.notify(ctx, "region.created", region_id)
    return region


async def get(idn: Identity, ctx: RequestContext, region_id: str) -> Region:
    """One region."""
    idn.enforce(ctx, "get_region")
    async with idn.db.read() as session:
        return await records.get(session, Region, region_id, "region")


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Region], bool]:
    """Regions, optionally only the children of `parent_region_id`."""
    idn.enforce(ctx, "list_regions")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Region).filter_by(**filters).order_by(Region.id))
        return records.limited(idn, list(rows))


async def update(idn: Identity, ctx: RequestContext, region_id: str, ref: dict[str, Any]) -> Region:
    """Change a region's description or parent."""
    idn.enforce(ctx, "update_region")
    async with records.writing(idn, "region") as session:
        region = await records.get(session, Region, region_id, "region")
        if "parent_region_id" in ref:
            await _check_parent(session, region_id, ref["parent_region_id"])
            region.parent_region_id = ref["parent_region_id"]
        if "description" in ref:
            region.description = ref["description"]
        region.extra = {**region.extra, **records.extra_of(ref, COLUMNS)}
    await idn.notify(ctx, "region.updated", region_id)
    return region


async def delete_region(idn: Identity, ctx: RequestContext, region_id: str) -> None:
    """Delete a region that has no child regions and no endpoints."""
    idn.enforce(ctx, "delete_region")
    async with records.writing(idn, "region") as session:
        region = await records.get(session, Region, region_id, "region")
        if await session.scalar(select(Region.id).where(Region.parent_region_id == region_id)):
            raise Forbidden("Cannot delete a region that has child regions.")
        if await session.scalar(select(Endpoint.id).where(Endpoint.region_id == region_id)):
            raise Forbidden("Cannot delete a region that has endpoints.")
        await session.delete(region)
    catalog.invalidate(idn)
    await idn.notify(ctx, "region.deleted", region_id)
