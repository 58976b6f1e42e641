"""The service catalog as tokens and /v3/auth/catalog carry it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kilocloud.identity.models import Endpoint, Service
from kilocloud.identity.service import Identity


async def catalog(idn: Identity) -> list[dict[str, Any]]:
    """Enabled services with their enabled endpoints; cached until the catalog changes."""
    if idn.catalog_cache is not None:
        return idn.catalog_cache
    async with idn.db.read() as session:
        services = list(await session.scalars(select(Service).where(Service.enabled)))
        endpoints = list(await session.scalars(select(Endpoint).where(Endpoint.enabled)))
    entries = []
    for svc in sorted(services, key=lambda s: s.type):
        eps = [
            {
                "id": ep.id,
                "interface": ep.interface,
                "region": ep.region_id,
                "region_id": ep.region_id,
                "url": ep.url,
            }
            for ep in endpoints
            if ep.service_id == svc.id
        ]
        entries.append({"id": svc.id, "type": svc.type, "name": svc.name or "", "endpoints": eps})
    idn.catalog_cache = entries
    return entries


def invalidate(idn: Identity) -> None:
    """Forget the cached catalog after a service or endpoint changed."""
    idn.catalog_cache = None
