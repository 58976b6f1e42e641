"""exact times: revocation events in integer microseconds, timestamps to the microsecond

MySQL and MariaDB stored `issued_before` as a 4-byte FLOAT (epoch seconds rounded to 128 s), so
other processes missed revocations. Every event was written with `revoked_at` at the same instant,
so there the new value is taken from `revoked_at` (whole seconds) plus one second: an old event
revokes at most one second too much, never too little. Elsewhere the double converts exactly.

Revision ID: identity_0002
Revises: identity_0001
"""

import sqlalchemy as sa
from alembic import op

from kilocloud.migrations import timestamps

revision = "identity_0002"
down_revision = "identity_0001"
branch_labels = None
depends_on = None

FROM_REVOKED_AT = (
    "UPDATE revocation_events SET issued_before_us ="
    " TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', revoked_at) + 1000000"
)
FROM_FLOAT = (
    "UPDATE revocation_events SET issued_before_us = CAST(ROUND(issued_before * 1000000) AS BIGINT)"
)


def upgrade() -> None:
    with op.batch_alter_table("revocation_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_before_us", sa.BigInteger(), nullable=True))
    mysql = op.get_bind().dialect.name in ("mysql", "mariadb")
    op.execute(FROM_REVOKED_AT if mysql else FROM_FLOAT)
    with op.batch_alter_table("revocation_events", schema=None) as batch_op:
        batch_op.alter_column("issued_before_us", existing_type=sa.BigInteger(), nullable=False)
        batch_op.drop_column("issued_before")
    timestamps.widen(
        "users",
        "application_credentials",
        "trusts",
        "revocation_events",
    )
