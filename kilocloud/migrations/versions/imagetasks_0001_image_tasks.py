"""image tasks

Revision ID: imagetasks_0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "imagetasks_0001"
down_revision = None
branch_labels = ("imagetasks",)
depends_on = ("image_0001",)


def upgrade() -> None:
    op.create_table(
        "image_tasks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("image_id", sa.String(length=36), nullable=True),
        sa.Column("input", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("job", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("runner", sa.String(length=255), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_tasks")),
    )
    op.create_index("ix_image_tasks_owner_created", "image_tasks", ["owner", "created_at"])
    op.create_index("ix_image_tasks_status_heartbeat", "image_tasks", ["status", "heartbeat_at"])
    op.create_index(op.f("ix_image_tasks_image_id"), "image_tasks", ["image_id"])
