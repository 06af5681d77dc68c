"""booking: leftover announcements (clinic quick-update page)

Revision ID: booking_0005
Revises: booking_0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "booking_0005"
down_revision: str | None = "booking_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_leftover_announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("vaccine_code", sa.String(length=20), nullable=False),
        sa.Column("funding", sa.String(length=20), nullable=False),
        sa.Column("doses", sa.Integer(), nullable=False),
        sa.Column("announced_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("announced_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "funding IN ('public', 'self-paid')",
            name=op.f("ck_booking_leftover_announcements_funding_known"),
        ),
        sa.CheckConstraint(
            "doses >= 0", name=op.f("ck_booking_leftover_announcements_doses_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["booking_sites.id"],
            name=op.f("fk_booking_leftover_announcements_site_id_booking_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_leftover_announcements")),
        sa.UniqueConstraint(
            "site_id",
            "day",
            "vaccine_code",
            "funding",
            name=op.f("uq_booking_leftover_announcements_site_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("booking_leftover_announcements")
