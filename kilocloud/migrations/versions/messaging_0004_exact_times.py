"""timestamps to the microsecond on MySQL and MariaDB, as on every other backend

Revision ID: messaging_0004
Revises: messaging_0003
"""

from kilocloud.migrations import timestamps

revision = "messaging_0004"
down_revision = "messaging_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    timestamps.widen(
        "messaging_queues",
        "messaging_messages",
        "messaging_claims",
        "messaging_subscriptions",
    )
