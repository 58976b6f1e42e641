"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: image_0003
Revises: image_0002
"""

from kilocloud.migrations import timestamps

revision = "image_0003"
down_revision = "image_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "images",
        "image_members",
    )
