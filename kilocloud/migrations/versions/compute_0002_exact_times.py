"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: compute_0002
Revises: compute_0001
"""

from kilocloud.migrations import timestamps

revision = "compute_0002"
down_revision = "compute_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "compute_flavors",
        "compute_flavor_extra_specs",
        "compute_flavor_projects",
        "compute_keypairs",
        "compute_quotas",
        "compute_instances",
        "compute_instance_tags",
        "compute_instance_actions",
        "compute_instance_action_events",
        "compute_server_groups",
        "compute_server_group_members",
        "compute_services",
        "compute_nodes",
        "compute_allocations",
        "compute_aggregates",
        "compute_aggregate_hosts",
        "compute_migrations",
    )
