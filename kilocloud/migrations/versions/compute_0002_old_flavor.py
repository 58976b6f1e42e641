"""the flavor a resized server goes back to on revert

Revision ID: compute_0002
Revises: compute_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "compute_0002"
down_revision = "compute_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("compute_instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("old_flavor", sa.JSON(), nullable=True))
