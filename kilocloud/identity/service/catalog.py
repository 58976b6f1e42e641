"""The service catalog as tokens and /v3/auth/catalog carry it."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from kilocloud.identity.models import Endpoint, Service
from kilocloud.identity.service import Identity

# another API process may change the catalog: this one reloads it at least this often
RELOAD_SECONDS = 5.0


async def catalog(idn: Identity) -> list[dict[str, Any]]:
    """Enabled services with their enabled endpoints; cached for a few seconds."""
    cached = idn.catalog_cache
    if cached is not None and time.monotonic() - cached[0] < RELOAD_SECONDS:
        return cached[1]
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
    idn.catalog_cache = (time.monotonic(), entries)
    return entries


def invalidate(idn: Identity) -> None:
    """Forget the cached catalog after a service or endpoint changed."""
    idn.catalog_cache = None
