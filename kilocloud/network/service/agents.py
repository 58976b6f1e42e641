"""Network agents as their heartbeats report them: listed, shown, disabled, deleted by admins."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import delete, select, update

from kilocloud.core.context import RequestContext
from kilocloud.core.db import utcnow
from kilocloud.network import errors
from kilocloud.network.models import Agent
from kilocloud.network.schemas import Attr
from kilocloud.network.service import body, listing
from kilocloud.network.service.deps import NetworkDeps
from kilocloud.network.service.records import stamp
from kilocloud.network.validators import boolean, string

ATTRS = {
    "id": Attr(),
    "agent_type": Attr(),
    "binary": Attr(),
    "host": Attr(),
    "topic": Attr(),
    "availability_zone": Attr(),
    "admin_state_up": Attr(put=True, convert=boolean),
    "description": Attr(put=True, convert=string(255)),
    "alive": Attr(filter=False, sort=False),
}


def alive(row: Any, down_after: int) -> bool:
    """Whether the agent has reported within `down_after` seconds."""
    return utcnow() - row.heartbeat_timestamp < datetime.timedelta(seconds=down_after)


class Agents:
    """GET/PUT/DELETE /v2.0/agents (admin; others see an empty list)."""

    def __init__(self, deps: NetworkDeps) -> None:
        self.deps = deps

    def _view(self, row: Any) -> dict[str, Any]:
        return {
            "id": row.id,
            "agent_type": row.agent_type,
            "binary": row.binary,
            "host": row.host,
            "topic": row.topic,
            "availability_zone": row.availability_zone,
            "admin_state_up": row.admin_state_up,
            "alive": alive(row, self.deps.conf.network.agent_down_time),
            "configurations": row.configurations,
            "description": row.description,
            "created_at": _spaced(row.created_at),
            "started_at": _spaced(row.started_at),
            "heartbeat_timestamp": _spaced(row.heartbeat_timestamp),
            "resources_synced": None,
        }

    def _admin(self, ctx: RequestContext, rule: str) -> bool:
        return self.deps.policy.check(ctx, rule, {"project_id": ctx.project_id})

    async def list(self, ctx: RequestContext, params: list[tuple[str, str]]) -> tuple:
        page = listing.parse(Agent, ATTRS, params, {})
        if not self._admin(ctx, "get_agent"):
            return [], page
        async with self.deps.db.connect() as conn:
            stmt = await listing.query(
                conn, Agent, page, None, errors.AgentNotFound(id=page.marker)
            )
            rows = list(await conn.execute(stmt))
        return [listing.select_fields(self._view(r), page.fields) for r in rows], page

    async def _row(self, conn: Any, agent_id: str) -> Any:
        row = (await conn.execute(select(Agent).where(Agent.id == agent_id))).first()
        if row is None:
            raise errors.AgentNotFound(id=agent_id)
        return row

    async def show(self, ctx: RequestContext, agent_id: str, fields: list[str]) -> dict:
        if not self._admin(ctx, "get_agent"):
            raise errors.AgentNotFound(id=agent_id)
        async with self.deps.db.connect() as conn:
            return listing.select_fields(self._view(await self._row(conn, agent_id)), fields)

    async def update(
        self, ctx: RequestContext, agent_id: str, data: Any, if_match: int | None
    ) -> dict:
        changes = body.for_update(body.unwrap(data, "agent"), ATTRS)
        if not self._admin(ctx, "update_agent"):
            raise errors.AgentNotFound(id=agent_id)
        async with self.deps.db.transaction() as conn:
            await self._row(conn, agent_id)
            await conn.execute(update(Agent).where(Agent.id == agent_id).values(**changes))
            row = await self._row(conn, agent_id)
        await self.deps.changed(ctx)
        return self._view(row)

    async def delete(self, ctx: RequestContext, agent_id: str, if_match: int | None) -> None:
        if not self._admin(ctx, "delete_agent"):
            raise errors.AgentNotFound(id=agent_id)
        async with self.deps.db.transaction() as conn:
            await self._row(conn, agent_id)
            await conn.execute(delete(Agent).where(Agent.id == agent_id))


def _spaced(when: datetime.datetime | None) -> str | None:
    """Agents' times are printed as Neutron prints them: 'YYYY-MM-DD HH:MM:SS'."""
    return stamp(when).replace("T", " ").rstrip("Z") if when else None
