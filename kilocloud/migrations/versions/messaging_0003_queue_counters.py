"""message markers from a per-queue counter, so that they follow commit order

Revision ID: messaging_0003
Revises: messaging_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "messaging_0003"
down_revision = "messaging_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "messaging_queue_counters",
        sa.Column("project", sa.String(length=64), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project", "queue", name=op.f("pk_messaging_queue_counters")),
    )
    with op.batch_alter_table("messaging_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marker", sa.BigInteger(), nullable=True))
    # seq grew across all queues, so it is a valid marker of every message stored so far.
    op.execute("UPDATE messaging_messages SET marker = seq")
    op.execute(
        "INSERT INTO messaging_queue_counters (project, queue, counter)"
        " SELECT project, queue, MAX(seq) FROM messaging_messages GROUP BY project, queue"
    )
    with op.batch_alter_table("messaging_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messaging_messages_marker", ["project", "queue", "marker"], unique=False
        )
        batch_op.drop_index("ix_messaging_messages_queue")
