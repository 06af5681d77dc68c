"""availability: a feed's pull lease (one replica pulls per period) and its last error

Revision ID: availability_0002
Revises: availability_0001
Create Date: 2026-11-23 23:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "availability_0002"
down_revision: str | None = "availability_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("availability_sources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("pull_started_at", vaxx.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("pull_lease_until", vaxx.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("pull_lease_owner", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("last_error", sa.String(length=1000), nullable=True))
        batch_op.add_column(
            sa.Column("last_error_at", vaxx.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("availability_sources", schema=None) as batch_op:
        batch_op.drop_column("last_error_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("pull_lease_owner")
        batch_op.drop_column("pull_lease_until")
        batch_op.drop_column("pull_started_at")
