"""booking: external doses

Revision ID: booking_0003
Revises: booking_0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "booking_0003"
down_revision: str | None = "booking_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_external_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_value", sa.String(length=20), nullable=False),
        sa.Column("vaccine_code", sa.String(length=20), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("lot_number", sa.String(length=40), nullable=True),
        sa.Column("institution_code", sa.String(length=10), nullable=True),
        sa.Column("recorded_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "id_type IN ('national-id', 'resident-permit', 'passport')",
            name=op.f("ck_booking_external_doses_id_type_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_external_doses")),
        sa.UniqueConstraint(
            "id_type",
            "id_value",
            "given_on",
            "vaccine_code",
            name=op.f("uq_booking_external_doses_id_type"),
        ),
    )
    with op.batch_alter_table("booking_external_doses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_external_doses_id_value"), ["id_value"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("booking_external_doses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_external_doses_id_value"))

    op.drop_table("booking_external_doses")
