"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: imagetasks_0002
Revises: imagetasks_0001
"""

from kilocloud.migrations import timestamps

revision = "imagetasks_0002"
down_revision = "imagetasks_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "image_tasks",
    )
