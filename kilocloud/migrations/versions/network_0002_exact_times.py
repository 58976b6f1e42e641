"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: network_0002
Revises: network_0001
"""

from kilocloud.migrations import timestamps

revision = "network_0002"
down_revision = "network_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "networks",
        "subnets",
        "ports",
        "ip_allocations",
        "security_groups",
        "default_security_groups",
        "security_group_rules",
        "routers",
        "router_ports",
        "floatingips",
        "network_tags",
        "network_quotas",
        "network_agents",
    )
