"""booking: staff bindings

Revision ID: booking_0004
Revises: booking_0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "booking_0004"
down_revision: str | None = "booking_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_staff_bindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=5), nullable=True),
        sa.CheckConstraint(
            "(site_id IS NULL) <> (county_code IS NULL)",
            name=op.f("ck_booking_staff_bindings_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_clients.id"],
            name=op.f("fk_booking_staff_bindings_client_id_api_clients"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["booking_sites.id"],
            name=op.f("fk_booking_staff_bindings_site_id_booking_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_staff_bindings")),
        sa.UniqueConstraint(
            "client_id", "site_id", "county_code", name=op.f("uq_booking_staff_bindings_client_id")
        ),
    )
    with op.batch_alter_table("booking_staff_bindings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_staff_bindings_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("booking_staff_bindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_staff_bindings_client_id"))

    op.drop_table("booking_staff_bindings")
