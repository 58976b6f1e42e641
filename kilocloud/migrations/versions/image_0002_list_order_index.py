"""images listed newest first without a sort

Revision ID: image_0002
Revises: image_0001
"""

from alembic import op

revision = "image_0002"
down_revision = "image_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("images", schema=None) as batch_op:
        batch_op.create_index("ix_images_created_at_id", ["created_at", "id"], unique=False)
