"""task attempts: a task whose runner died is handed to another, a bounded number of times

Revision ID: imagetasks_0003
Revises: imagetasks_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "imagetasks_0003"
down_revision = "imagetasks_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("image_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
