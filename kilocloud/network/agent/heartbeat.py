"""The agent's rows in the agents table (`openstack network agent list`), as Neutron's agents
report themselves: one row per role this agent plays."""

from __future__ import annotations

import datetime
import uuid

from sqlalchemy import select

from kilocloud.core.db import Database, utcnow

# (agent_type, binary, topic) of the Neutron agents this one stands in for
ROLES = [
    ("Linux bridge agent", "neutron-linuxbridge-agent", "N/A"),
    ("DHCP agent", "neutron-dhcp-agent", "dhcp_agent"),
    ("L3 agent", "neutron-l3-agent", "l3_agent"),
    ("Metadata agent", "neutron-metadata-agent", "N/A"),
]


async def report(
    db: Database, host: str, started_at: datetime.datetime, configurations: dict
) -> None:
    """Create or refresh this host's agent rows with a heartbeat now."""
    from kilocloud.network.models import Agent  # network-api's table

    now = utcnow()
    async with db.write() as session:
        found = await session.scalars(select(Agent).where(Agent.host == host))
        rows = {row.agent_type: row for row in found}
        for agent_type, binary, topic in ROLES:
            row = rows.get(agent_type)
            if row is None:
                row = Agent(
                    id=str(uuid.uuid4()), agent_type=agent_type, binary=binary, topic=topic,
                    host=host, admin_state_up=True, created_at=now,
                )  # fmt: skip
                session.add(row)
            row.started_at = started_at
            row.heartbeat_timestamp = now
            row.configurations = configurations
