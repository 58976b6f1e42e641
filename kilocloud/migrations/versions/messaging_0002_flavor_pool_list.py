"""flavors map to a list of pools

Revision ID: messaging_0002
Revises: messaging_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "messaging_0002"
down_revision = "messaging_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messaging_flavors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pool_list", sa.JSON(), nullable=True))
        batch_op.drop_column("pool")
