"""uploads in progress, with the process carrying each and its heartbeat

Revision ID: image_0004
Revises: image_0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "image_0004"
down_revision = "image_0003"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "image_uploads",
        sa.Column("image_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("store", sa.String(length=255), nullable=True),
        sa.Column("runner", sa.String(length=255), nullable=False),
        sa.Column("heartbeat_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("image_id", name=op.f("pk_image_uploads")),
    )
    op.create_index(op.f("ix_image_uploads_heartbeat_at"), "image_uploads", ["heartbeat_at"])
