"""Catalog endpoints: the URL of a service on one interface in one region."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kilocloud.core.context import RequestContext
from kilocloud.identity.models import Endpoint, Region, Service
from kilocloud.identity.service import Identity, catalog, records

COLUMNS = ("service_id", "interface", "region_id", "region", "url", "enabled")


async def _check_refs(session: AsyncSession, ref: dict[str, Any]) -> str | None:
    """Check the service and region named by `ref`; the region id (legacy `region` too)."""
    if "service_id" in ref:
        await records.get(session, Service, ref["service_id"], "service")
    region_id = ref.get("region_id") or ref.get("region")
    if region_id and await session.get(Region, region_id) is None:
        raise records.bad_field("endpoint.region_id", f"no region {region_id}.")
    return region_id


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Endpoint:
    """Create an endpoint."""
    idn.enforce(ctx, "create_endpoint")
    async with records.writing(idn, "endpoint") as session:
        endpoint = Endpoint(
            id=uuid.uuid4().hex,
            service_id=ref["service_id"],
            interface=ref["interface"],
            region_id=await _check_refs(session, ref),
            url=ref["url"],
            enabled=ref.get("enabled", True),
            extra=records.extra_of(ref, (*COLUMNS, "id")),
        )
        session.add(endpoint)
    catalog.invalidate(idn)
    await idn.notify(ctx, "endpoint.created", endpoint.id)
    return endpoint


async def get(idn: Identity, ctx: RequestContext, endpoint_id: str) -> Endpoint:
    """One endpoint."""
    idn.enforce(ctx, "get_endpoint")
    async with idn.db.read() as session:
        return await records.get(session, Endpoint, endpoint_id, "endpoint")


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Endpoint], bool]:
    """Endpoints matching `interface`, `service_id` and `region_id`."""
    idn.enforce(ctx, "list_endpoints")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Endpoint).filter_by(**filters))
        return records.limited(idn, list(rows))


async def update(
    idn: Identity, ctx: RequestContext, endpoint_id: str, ref: dict[str, Any]
) -> Endpoint:
    """Change an endpoint."""
    idn.enforce(ctx, "update_endpoint")
    async with records.writing(idn, "endpoint") as session:
        endpoint = await records.get(session, Endpoint, endpoint_id, "endpoint")
        region_id = await _check_refs(session, ref)
        if "region_id" in ref or "region" in ref:
            endpoint.region_id = region_id
        for key in ("service_id", "interface", "url", "enabled"):
            if key in ref:
                setattr(endpoint, key, ref[key])
        endpoint.extra = {**endpoint.extra, **records.extra_of(ref, (*COLUMNS, "id"))}
    catalog.invalidate(idn)
    await idn.notify(ctx, "endpoint.updated", endpoint_id)
    return endpoint


async def delete_endpoint(idn: Identity, ctx: RequestContext, endpoint_id: str) -> None:
    """Delete an endpoint."""
    idn.enforce(ctx, "delete_endpoint")
    async with records.writing(idn, "endpoint") as session:
        await session.delete(await records.get(session, Endpoint, endpoint_id, "endpoint"))
    catalog.invalidate(idn)
    await idn.notify(ctx, "endpoint.deleted", endpoint_id)
