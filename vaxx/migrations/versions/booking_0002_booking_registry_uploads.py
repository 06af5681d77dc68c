"""booking: registry uploads

Revision ID: booking_0002
Revises: booking_0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "booking_0002"
down_revision: str | None = "booking_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_registry_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("administration_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("registry_id", sa.String(length=200), nullable=True),
        sa.Column("updated_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'accepted', 'rejected')",
            name=op.f("ck_booking_registry_uploads_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["administration_id"],
            ["booking_administrations.id"],
            name=op.f("fk_booking_registry_uploads_administration_id_booking_administrations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_registry_uploads")),
        sa.UniqueConstraint(
            "administration_id", name=op.f("uq_booking_registry_uploads_administration_id")
        ),
    )
    with op.batch_alter_table("booking_registry_uploads", schema=None) as batch_op:
        batch_op.create_index("ix_booking_registry_uploads_state", ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("booking_registry_uploads", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_registry_uploads_state")

    op.drop_table("booking_registry_uploads")
