"""Catalog services: what kind of API (type) and under which name."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select

from kilocloud.core.context import RequestContext
from kilocloud.identity.models import Endpoint, Service
from kilocloud.identity.service import Identity, catalog, records

COLUMNS = ("type", "name", "description", "enabled")


async def create(idn: Identity, ctx: RequestContext, ref: dict[str, Any]) -> Service:
    """Create a catalog service."""
    idn.enforce(ctx, "create_service")
    async with records.writing(idn, "service") as session:
        service = Service(
            id=uuid.uuid4().hex,
            type=ref["type"],
            name=ref.get("name"),
            description=ref.get("description"),
            enabled=ref.get("enabled", True),
            extra=records.extra_of(ref, (*COLUMNS, "id")),
        )
        session.add(service)
    catalog.invalidate(idn)
    await idn.notify(ctx, "service.created", service.id)
    return service


async def get(idn: Identity, ctx: RequestContext, service_id: str) -> Service:
    """One catalog service."""
    idn.enforce(ctx, "get_service")
    async with idn.db.read() as session:
        return await records.get(session, Service, service_id, "service")


async def listing(
    idn: Identity, ctx: RequestContext, filters: dict[str, Any]
) -> tuple[list[Service], bool]:
    """Catalog services matching `type` and `name`."""
    idn.enforce(ctx, "list_services")
    async with idn.db.read() as session:
        rows = await session.scalars(select(Service).filter_by(**filters).order_by(Service.type))
        return records.limited(idn, list(rows))


async def update(
    idn: Identity, ctx: RequestContext, service_id: str, ref: dict[str, Any]
) -> Service:
    """Change a catalog service."""
    idn.enforce(ctx, "update_service")
    async with records.writing(idn, "service") as session:
        service = await records.get(session, Service, service_id, "service")
        for key in COLUMNS:
            if key in ref:
                setattr(service, key, ref[key])
        service.extra = {**service.extra, **records.extra_of(ref, (*COLUMNS, "id"))}
    catalog.invalidate(idn)
    await idn.notify(ctx, "service.updated", service_id)
    return service


async def delete_service(idn: Identity, ctx: RequestContext, service_id: str) -> None:
    """Delete a catalog service and its endpoints."""
    idn.enforce(ctx, "delete_service")
    async with records.writing(idn, "service") as session:
        service = await records.get(session, Service, service_id, "service")
        await session.execute(delete(Endpoint).where(Endpoint.service_id == service_id))
        await session.delete(service)
    catalog.invalidate(idn)
    await idn.notify(ctx, "service.deleted", service_id)
