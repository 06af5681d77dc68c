"""booking: sites, stock, slots, eligibility, appointments

Revision ID: booking_0001
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import vaxx.db

revision: str = "booking_0001"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("booking",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "booking_categories",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("vaccine_codes", sa.JSON(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("active_until", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "active_until IS NULL OR active_until >= active_from",
            name=op.f("ck_booking_categories_window_ordered"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_booking_categories")),
    )
    op.create_table(
        "booking_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vaccine_code", sa.String(length=20), nullable=False),
        sa.Column("lot_number", sa.String(length=40), nullable=False),
        sa.Column("lot_type", sa.String(length=20), nullable=False),
        sa.Column("manufacturer", sa.String(length=200), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("doses_per_vial", sa.Integer(), nullable=False),
        sa.Column("vials_total", sa.Integer(), nullable=False),
        sa.Column("vials_allocated", sa.Integer(), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lot_type IN ('central', 'local-purchase', 'self-paid')",
            name=op.f("ck_booking_lots_lot_type_known"),
        ),
        sa.CheckConstraint(
            "doses_per_vial > 0", name=op.f("ck_booking_lots_doses_per_vial_positive")
        ),
        sa.CheckConstraint(
            "vials_allocated >= 0 AND vials_allocated <= vials_total",
            name=op.f("ck_booking_lots_allocation_bounded"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_lots")),
        sa.UniqueConstraint(
            "vaccine_code", "lot_number", name=op.f("uq_booking_lots_vaccine_code")
        ),
    )
    op.create_table(
        "booking_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("county_code", sa.String(length=5), nullable=False),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("issues_certificates", sa.Boolean(), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "type IN ('hospital', 'clinic', 'health-centre', 'community', 'mobile')",
            name=op.f("ck_booking_sites_type_known"),
        ),
        sa.CheckConstraint(
            "latitude BETWEEN -90 AND 90", name=op.f("ck_booking_sites_latitude_range")
        ),
        sa.CheckConstraint("length(code) = 10", name=op.f("ck_booking_sites_code_10_digits")),
        sa.CheckConstraint(
            "longitude BETWEEN -180 AND 180", name=op.f("ck_booking_sites_longitude_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_booking_sites_code")),
    )
    with op.batch_alter_table("booking_sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_sites_county_code"), ["county_code"], unique=False
        )

    op.create_table(
        "booking_county_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(length=5), nullable=False),
        sa.Column("vials_allocated", sa.Integer(), nullable=False),
        sa.Column("vials_delivered", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "vials_delivered >= 0 AND vials_delivered <= vials_allocated",
            name=op.f("ck_booking_county_stock_delivery_bounded"),
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["booking_lots.id"],
            name=op.f("fk_booking_county_stock_lot_id_booking_lots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_county_stock")),
        sa.UniqueConstraint("lot_id", "county_code", name=op.f("uq_booking_county_stock_lot_id")),
    )
    op.create_table(
        "booking_dose_pools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("vaccine_code", sa.String(length=20), nullable=False),
        sa.Column("funding", sa.String(length=20), nullable=False),
        sa.Column("doses_in", sa.Integer(), nullable=False),
        sa.Column("doses_out", sa.Integer(), nullable=False),
        sa.Column("doses_reserved", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "funding IN ('public', 'self-paid')", name=op.f("ck_booking_dose_pools_funding_known")
        ),
        sa.CheckConstraint(
            "doses_out + doses_reserved <= doses_in",
            name=op.f("ck_booking_dose_pools_capacity_covered"),
        ),
        sa.CheckConstraint(
            "doses_out >= 0 AND doses_reserved >= 0",
            name=op.f("ck_booking_dose_pools_counts_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["booking_sites.id"],
            name=op.f("fk_booking_dose_pools_site_id_booking_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_dose_pools")),
        sa.UniqueConstraint(
            "site_id", "vaccine_code", "funding", name=op.f("uq_booking_dose_pools_site_id")
        ),
    )
    op.create_table(
        "booking_eligibility_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category_code", sa.String(length=20), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("person_count", sa.Integer(), nullable=False),
        sa.Column("imported_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["booking_categories.code"],
            name=op.f("fk_booking_eligibility_lists_category_code_booking_categories"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_eligibility_lists")),
        sa.UniqueConstraint(
            "category_code", "week_start", name=op.f("uq_booking_eligibility_lists_category_code")
        ),
    )
    op.create_table(
        "booking_site_stock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("vials_received", sa.Integer(), nullable=False),
        sa.Column("doses_received", sa.Integer(), nullable=False),
        sa.Column("doses_given", sa.Integer(), nullable=False),
        sa.Column("doses_wasted", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "doses_given + doses_wasted <= doses_received",
            name=op.f("ck_booking_site_stock_balance_positive"),
        ),
        sa.CheckConstraint(
            "doses_given >= 0 AND doses_wasted >= 0",
            name=op.f("ck_booking_site_stock_counts_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["booking_lots.id"], name=op.f("fk_booking_site_stock_lot_id_booking_lots")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["booking_sites.id"],
            name=op.f("fk_booking_site_stock_site_id_booking_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_site_stock")),
        sa.UniqueConstraint("site_id", "lot_id", name=op.f("uq_booking_site_stock_site_id")),
    )
    op.create_table(
        "booking_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("session", sa.String(length=10), nullable=False),
        sa.Column("vaccine_code", sa.String(length=20), nullable=False),
        sa.Column("funding", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("administered", sa.Integer(), nullable=False),
        sa.Column("closed_at", vaxx.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "funding IN ('public', 'self-paid')", name=op.f("ck_booking_slots_funding_known")
        ),
        sa.CheckConstraint(
            "session IN ('morning', 'afternoon', 'evening')",
            name=op.f("ck_booking_slots_session_known"),
        ),
        sa.CheckConstraint(
            "administered >= 0 AND administered <= capacity",
            name=op.f("ck_booking_slots_given_bounded"),
        ),
        sa.CheckConstraint(
            "booked >= 0 AND booked <= capacity", name=op.f("ck_booking_slots_not_overbooked")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["booking_sites.id"], name=op.f("fk_booking_slots_site_id_booking_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_slots")),
        sa.UniqueConstraint(
            "site_id",
            "day",
            "session",
            "vaccine_code",
            "funding",
            name=op.f("uq_booking_slots_site_id"),
        ),
    )
    with op.batch_alter_table("booking_slots", schema=None) as batch_op:
        batch_op.create_index("ix_booking_slots_day_site", ["day", "site_id"], unique=False)

    op.create_table(
        "booking_wastage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("doses", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint("doses > 0", name=op.f("ck_booking_wastage_doses_positive")),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["booking_lots.id"], name=op.f("fk_booking_wastage_lot_id_booking_lots")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["booking_sites.id"], name=op.f("fk_booking_wastage_site_id_booking_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_wastage")),
    )
    with op.batch_alter_table("booking_wastage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_wastage_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "booking_appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_value", sa.String(length=20), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('web', 'partner', 'kiosk', 'staff')",
            name=op.f("ck_booking_appointments_channel_known"),
        ),
        sa.CheckConstraint(
            "id_type IN ('national-id', 'resident-permit', 'passport')",
            name=op.f("ck_booking_appointments_id_type_known"),
        ),
        sa.CheckConstraint(
            "status IN ('booked', 'cancelled', 'checked-in', 'administered', 'no-show')",
            name=op.f("ck_booking_appointments_status_known"),
        ),
        sa.CheckConstraint(
            "dose_number >= 1", name=op.f("ck_booking_appointments_dose_number_positive")
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["booking_slots.id"],
            name=op.f("fk_booking_appointments_slot_id_booking_slots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_appointments")),
        sa.UniqueConstraint("reference", name=op.f("uq_booking_appointments_reference")),
    )
    with op.batch_alter_table("booking_appointments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_appointments_slot_id"), ["slot_id"], unique=False
        )
        batch_op.create_index(
            "uq_booking_appointments_active_dose",
            ["id_type", "id_value", "dose_number"],
            unique=True,
            sqlite_where=sa.text("status IN ('booked', 'checked-in', 'administered')"),
            postgresql_where=sa.text("status IN ('booked', 'checked-in', 'administered')"),
        )

    op.create_table(
        "booking_eligible_persons",
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["booking_eligibility_lists.id"],
            name=op.f("fk_booking_eligible_persons_list_id_booking_eligibility_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("list_id", "person_id", name=op.f("pk_booking_eligible_persons")),
    )
    with op.batch_alter_table("booking_eligible_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_eligible_persons_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "booking_administrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("id_type", sa.String(length=20), nullable=False),
        sa.Column("id_value", sa.String(length=20), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("series_doses", sa.Integer(), nullable=False),
        sa.Column("administered_at", vaxx.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("performer", sa.JSON(), nullable=False),
        sa.Column("patient", sa.JSON(), nullable=False),
        sa.Column("bundle", sa.JSON(), nullable=False),
        sa.Column("certificate", sa.JSON(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "dose_number >= 1 AND series_doses >= 1",
            name=op.f("ck_booking_administrations_doses_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["booking_appointments.id"],
            name=op.f("fk_booking_administrations_appointment_id_booking_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["booking_lots.id"],
            name=op.f("fk_booking_administrations_lot_id_booking_lots"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["booking_sites.id"],
            name=op.f("fk_booking_administrations_site_id_booking_sites"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_administrations")),
        sa.UniqueConstraint(
            "appointment_id", name=op.f("uq_booking_administrations_appointment_id")
        ),
        sa.UniqueConstraint(
            "id_type", "id_value", "dose_number", name=op.f("uq_booking_administrations_id_type")
        ),
    )
    with op.batch_alter_table("booking_administrations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_booking_administrations_site_at", ["site_id", "administered_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("booking_administrations", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_administrations_site_at")

    op.drop_table("booking_administrations")
    with op.batch_alter_table("booking_eligible_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_eligible_persons_person_id"))

    op.drop_table("booking_eligible_persons")
    with op.batch_alter_table("booking_appointments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_booking_appointments_active_dose",
            sqlite_where=sa.text("status IN ('booked', 'checked-in', 'administered')"),
            postgresql_where=sa.text("status IN ('booked', 'checked-in', 'administered')"),
        )
        batch_op.drop_index(batch_op.f("ix_booking_appointments_slot_id"))

    op.drop_table("booking_appointments")
    with op.batch_alter_table("booking_wastage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_wastage_recorded_at"))

    op.drop_table("booking_wastage")
    with op.batch_alter_table("booking_slots", schema=None) as batch_op:
        batch_op.drop_index("ix_booking_slots_day_site")

    op.drop_table("booking_slots")
    op.drop_table("booking_site_stock")
    op.drop_table("booking_eligibility_lists")
    op.drop_table("booking_dose_pools")
    op.drop_table("booking_county_stock")
    with op.batch_alter_table("booking_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_sites_county_code"))

    op.drop_table("booking_sites")
    op.drop_table("booking_lots")
    op.drop_table("booking_categories")
