"""trust_list: a build lease on publications, so one process rebuilds while others serve

Revision ID: trust_list_0003
Revises: trust_list_0002
Create Date: 2026-11-23 20:59:47.350716
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "trust_list_0003"
down_revision: str | None = "trust_list_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("trust_publications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("building_until", vaxx.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("trust_publications", schema=None) as batch_op:
        batch_op.drop_column("building_until")
