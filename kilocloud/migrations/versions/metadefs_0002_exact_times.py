"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: metadefs_0002
Revises: metadefs_0001
"""

from kilocloud.migrations import timestamps

revision = "metadefs_0002"
down_revision = "metadefs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "metadef_namespaces",
        "metadef_objects",
        "metadef_properties",
        "metadef_tags",
        "metadef_resource_types",
        "metadef_namespace_resource_types",
    )
