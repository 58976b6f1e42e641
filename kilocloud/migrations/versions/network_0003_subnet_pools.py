"""subnet pools and address scopes

Revision ID: network_0003
Revises: network_0002
"""

import sqlalchemy as sa
from alembic import op

from kilocloud.core.db import Timestamp

revision = "network_0003"
down_revision = "network_0002"
branch_labels = None
depends_on = None


def _standard() -> list[sa.Column]:
    return [
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "address_scopes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("ip_version", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        *_standard(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_scopes")),
    )
    op.create_index(op.f("ix_address_scopes_project_id"), "address_scopes", ["project_id"])
    op.create_table(
        "subnetpools",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("ip_version", sa.Integer(), nullable=False),
        sa.Column("prefixes", sa.JSON(), nullable=False),
        sa.Column("default_prefixlen", sa.Integer(), nullable=False),
        sa.Column("min_prefixlen", sa.Integer(), nullable=False),
        sa.Column("max_prefixlen", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("default_quota", sa.Integer(), nullable=True),
        sa.Column("address_scope_id", sa.String(length=36), nullable=True),
        *_standard(),
        sa.ForeignKeyConstraint(
            ["address_scope_id"],
            ["address_scopes.id"],
            name=op.f("fk_subnetpools_address_scope_id_address_scopes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subnetpools")),
    )
    op.create_index(op.f("ix_subnetpools_project_id"), "subnetpools", ["project_id"])
