"""availability: aggregated sources, their locations and slots, and the SMART feed ledger

Revision ID: availability_0001
Revises: booking_0004
Create Date: 2026-11-23 21:25:10.043179
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "availability_0001"
down_revision: str | None = "booking_0004"
branch_labels: str | Sequence[str] | None = ("availability",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "availability_publication",
        sa.Column("resource_type", sa.String(length=20), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("changed_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "resource_type", "resource_id", name=op.f("pk_availability_publication")
        ),
    )
    with op.batch_alter_table("availability_publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_publication_changed_at"), ["changed_at"], unique=False
        )

    op.create_table(
        "availability_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("client_id", sa.String(length=32), nullable=True),
        sa.Column("as_of", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fetched_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('smart-feed', 'partner')", name=op.f("ck_availability_sources_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["api_clients.id"],
            name=op.f("fk_availability_sources_client_id_api_clients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_sources")),
        sa.UniqueConstraint("client_id", name=op.f("uq_availability_sources_client_id")),
        sa.UniqueConstraint("name", name=op.f("uq_availability_sources_name")),
    )
    op.create_table(
        "availability_external_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("county_code", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("district", sa.String(length=100), nullable=True),
        sa.Column("address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("as_of", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["availability_sources.id"],
            name=op.f("fk_availability_external_locations_source_id_availability_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_external_locations")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_availability_external_locations_source_id")
        ),
    )
    with op.batch_alter_table("availability_external_locations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_external_locations_county_code"),
            ["county_code"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_availability_external_locations_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "availability_external_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("vaccine", sa.String(length=200), nullable=True),
        sa.Column("funding", sa.String(length=20), nullable=True),
        sa.Column("start", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booking_url", sa.String(length=1000), nullable=True),
        sa.Column("as_of", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('free', 'busy')", name=op.f("ck_availability_external_slots_status_known")
        ),
        sa.CheckConstraint(
            "capacity >= 1", name=op.f("ck_availability_external_slots_capacity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["availability_external_locations.id"],
            name=op.f("fk_availability_external_slots_location_id_availability_external_locations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["availability_sources.id"],
            name=op.f("fk_availability_external_slots_source_id_availability_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_availability_external_slots")),
        sa.UniqueConstraint(
            "source_id", "external_id", name=op.f("uq_availability_external_slots_source_id")
        ),
    )
    with op.batch_alter_table("availability_external_slots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_availability_external_slots_location_id"), ["location_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_availability_external_slots_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_availability_external_slots_start"), ["start"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("availability_external_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_external_slots_start"))
        batch_op.drop_index(batch_op.f("ix_availability_external_slots_source_id"))
        batch_op.drop_index(batch_op.f("ix_availability_external_slots_location_id"))

    op.drop_table("availability_external_slots")
    with op.batch_alter_table("availability_external_locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_external_locations_source_id"))
        batch_op.drop_index(batch_op.f("ix_availability_external_locations_county_code"))

    op.drop_table("availability_external_locations")
    op.drop_table("availability_sources")
    with op.batch_alter_table("availability_publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_availability_publication_changed_at"))

    op.drop_table("availability_publication")
