"""Booking tables. Every count that must not go wrong is guarded twice: by a CHECK
constraint here and by atomic ``UPDATE ... WHERE`` statements in the services, so the
database itself refuses a negative balance or an overbooked slot even under concurrency.

Stock is tracked at three levels. ``booking_lots`` is what the CDC received (vials);
``booking_county_stock`` what it allocated to a county's health bureau; ``booking_site_stock``
what a site received, in doses, and what it gave or wasted. ``booking_dose_pools`` sums a
site's doses per vaccine product and funding and holds the doses reserved by open slots:
``doses_out + doses_reserved <= doses_in`` is how "capacity never exceeds doses available"
is enforced.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from booking.enums import (
    ACTIVE_STATUSES,
    AppointmentStatus,
    Channel,
    Funding,
    LotType,
    Session,
    SiteType,
    in_check,
)
from booking.taiwan import IdType
from vaxx.db import Base, UTCDateTime

_ACTIVE = ", ".join(f"'{s.value}'" for s in ACTIVE_STATUSES)


class Site(Base):
    """A vaccination site (FHIR Location), identified by its MOHW institution code."""

    __tablename__ = "booking_sites"
    __table_args__ = (
        CheckConstraint("length(code) = 10", name="code_10_digits"),
        CheckConstraint(in_check("type", SiteType), name="type_known"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    county_code: Mapped[str] = mapped_column(String(5), index=True)
    district: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(30))
    sessions: Mapped[list[str]] = mapped_column(JSON)
    channels: Mapped[list[str]] = mapped_column(JSON)
    issues_certificates: Mapped[bool] = mapped_column(Boolean)
    """Sign a certificate as soon as a dose is recorded (otherwise the person asks later)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Lot(Base):
    """A vaccine lot as the CDC received it, in vials."""

    __tablename__ = "booking_lots"
    __table_args__ = (
        UniqueConstraint("vaccine_code", "lot_number"),
        CheckConstraint(in_check("lot_type", LotType), name="lot_type_known"),
        CheckConstraint("doses_per_vial > 0", name="doses_per_vial_positive"),
        CheckConstraint(
            "vials_allocated >= 0 AND vials_allocated <= vials_total", name="allocation_bounded"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vaccine_code: Mapped[str] = mapped_column(String(20))
    lot_number: Mapped[str] = mapped_column(String(40))
    lot_type: Mapped[str] = mapped_column(String(20))
    manufacturer: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date] = mapped_column(Date)
    doses_per_vial: Mapped[int] = mapped_column(Integer)
    vials_total: Mapped[int] = mapped_column(Integer)
    vials_allocated: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CountyStock(Base):
    """Vials of a lot allocated by the CDC to one county's health bureau."""

    __tablename__ = "booking_county_stock"
    __table_args__ = (
        UniqueConstraint("lot_id", "county_code"),
        CheckConstraint(
            "vials_delivered >= 0 AND vials_delivered <= vials_allocated",
            name="delivery_bounded",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("booking_lots.id"))
    county_code: Mapped[str] = mapped_column(String(5))
    vials_allocated: Mapped[int] = mapped_column(Integer, default=0)
    vials_delivered: Mapped[int] = mapped_column(Integer, default=0)


class SiteStock(Base):
    """One lot at one site: doses received, given and wasted (the balance is the rest)."""

    __tablename__ = "booking_site_stock"
    __table_args__ = (
        UniqueConstraint("site_id", "lot_id"),
        CheckConstraint("doses_given >= 0 AND doses_wasted >= 0", name="counts_positive"),
        CheckConstraint("doses_given + doses_wasted <= doses_received", name="balance_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("booking_lots.id"))
    vials_received: Mapped[int] = mapped_column(Integer, default=0)
    doses_received: Mapped[int] = mapped_column(Integer, default=0)
    doses_given: Mapped[int] = mapped_column(Integer, default=0)
    doses_wasted: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def balance(self) -> int:
        return self.doses_received - self.doses_given - self.doses_wasted


class DosePool(Base):
    """A site's doses of one product and funding, and how many open slots have reserved."""

    __tablename__ = "booking_dose_pools"
    __table_args__ = (
        UniqueConstraint("site_id", "vaccine_code", "funding"),
        CheckConstraint(in_check("funding", Funding), name="funding_known"),
        CheckConstraint("doses_out >= 0 AND doses_reserved >= 0", name="counts_positive"),
        CheckConstraint("doses_out + doses_reserved <= doses_in", name="capacity_covered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    vaccine_code: Mapped[str] = mapped_column(String(20))
    funding: Mapped[str] = mapped_column(String(20))
    doses_in: Mapped[int] = mapped_column(Integer, default=0)
    doses_out: Mapped[int] = mapped_column(Integer, default=0)
    doses_reserved: Mapped[int] = mapped_column(Integer, default=0)


class Slot(Base):
    """One session of one product at one site on one day (FHIR Slot), with its capacity."""

    __tablename__ = "booking_slots"
    __table_args__ = (
        UniqueConstraint("site_id", "day", "session", "vaccine_code", "funding"),
        CheckConstraint(in_check("session", Session), name="session_known"),
        CheckConstraint(in_check("funding", Funding), name="funding_known"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="not_overbooked"),
        CheckConstraint("administered >= 0 AND administered <= capacity", name="given_bounded"),
        Index("ix_booking_slots_day_site", "day", "site_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    day: Mapped[date] = mapped_column(Date)
    session: Mapped[str] = mapped_column(String(10))
    vaccine_code: Mapped[str] = mapped_column(String(20))
    funding: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    administered: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


SLOT_TIME_ORDER = (
    Slot.day,
    case({member.value: i for i, member in enumerate(Session)}, value=Slot.session),
)
"""``order_by`` terms putting slots in the order they happen: by day, then morning,
afternoon, evening (the session names alone would sort afternoon before morning)."""


class Category(Base):
    """A priority category (e.g. 第1類 medical staff) and the window in which it may book."""

    __tablename__ = "booking_categories"
    __table_args__ = (
        CheckConstraint(
            "active_until IS NULL OR active_until >= active_from", name="window_ordered"
        ),
    )

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    vaccine_codes: Mapped[list[str]] = mapped_column(JSON)
    active_from: Mapped[date] = mapped_column(Date)
    active_until: Mapped[date | None] = mapped_column(Date)


class EligibilityList(Base):
    """The eligible-person list of one category for one week (Monday to Sunday)."""

    __tablename__ = "booking_eligibility_lists"
    __table_args__ = (UniqueConstraint("category_code", "week_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("booking_categories.code"))
    week_start: Mapped[date] = mapped_column(Date)
    person_count: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    imported_by: Mapped[str] = mapped_column(String(200))


class EligiblePerson(Base):
    __tablename__ = "booking_eligible_persons"

    list_id: Mapped[int] = mapped_column(
        ForeignKey("booking_eligibility_lists.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class Appointment(Base):
    """A person's booking of a slot for one dose (FHIR Appointment)."""

    __tablename__ = "booking_appointments"
    __table_args__ = (
        CheckConstraint(in_check("id_type", IdType), name="id_type_known"),
        CheckConstraint(in_check("channel", Channel), name="channel_known"),
        CheckConstraint(in_check("status", AppointmentStatus), name="status_known"),
        CheckConstraint("dose_number >= 1", name="dose_number_positive"),
        Index(
            "uq_booking_appointments_active_dose",
            "id_type",
            "id_value",
            "dose_number",
            unique=True,
            sqlite_where=text(f"status IN ({_ACTIVE})"),
            postgresql_where=text(f"status IN ({_ACTIVE})"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    id_type: Mapped[str] = mapped_column(String(20))
    id_value: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30))
    slot_id: Mapped[int] = mapped_column(ForeignKey("booking_slots.id"), index=True)
    dose_number: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Administration(Base):
    """A dose given: the source of the Immunization record and its certificate."""

    __tablename__ = "booking_administrations"
    __table_args__ = (
        UniqueConstraint("id_type", "id_value", "dose_number"),
        CheckConstraint("dose_number >= 1 AND series_doses >= 1", name="doses_positive"),
        Index("ix_booking_administrations_site_at", "site_id", "administered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking_appointments.id"), unique=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("booking_lots.id"))
    id_type: Mapped[str] = mapped_column(String(20))
    id_value: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[date] = mapped_column(Date)
    dose_number: Mapped[int] = mapped_column(Integer)
    series_doses: Mapped[int] = mapped_column(Integer)
    administered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    performer: Mapped[dict[str, Any]] = mapped_column(JSON)
    patient: Mapped[dict[str, Any]] = mapped_column(JSON)
    bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    certificate: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_by: Mapped[str] = mapped_column(String(200))


class Wastage(Base):
    """Doses of a lot lost at a site (opened vial expired, broken, cold chain...)."""

    __tablename__ = "booking_wastage"
    __table_args__ = (CheckConstraint("doses > 0", name="doses_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("booking_lots.id"))
    doses: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_by: Mapped[str] = mapped_column(String(200))


class RegistryUpload(Base):
    """The national-registry upload state of one administered dose."""

    __tablename__ = "booking_registry_uploads"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'accepted', 'rejected')", name="state_known"),
        Index("ix_booking_registry_uploads_state", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_id: Mapped[int] = mapped_column(
        ForeignKey("booking_administrations.id"), unique=True
    )
    state: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(500))
    registry_id: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExternalDose(Base):
    """A dose given before or outside vaxx, entered from the national record or a clinic
    system (ROC dates and CDC codes accepted); it counts in the person's history."""

    __tablename__ = "booking_external_doses"
    __table_args__ = (
        UniqueConstraint("id_type", "id_value", "given_on", "vaccine_code"),
        CheckConstraint(in_check("id_type", IdType), name="id_type_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_type: Mapped[str] = mapped_column(String(20))
    id_value: Mapped[str] = mapped_column(String(20), index=True)
    vaccine_code: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date] = mapped_column(Date)
    lot_number: Mapped[str | None] = mapped_column(String(40))
    institution_code: Mapped[str | None] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(200))


class StaffBinding(Base):
    """Binds a ``site-staff`` client to a site, or a ``health-bureau`` client to a county."""

    __tablename__ = "booking_staff_bindings"
    __table_args__ = (
        UniqueConstraint("client_id", "site_id", "county_code"),
        CheckConstraint("(site_id IS NULL) <> (county_code IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("api_clients.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("booking_sites.id"))
    county_code: Mapped[str | None] = mapped_column(String(5))


class LeftoverAnnouncement(Base):
    """Walk-in doses a site announces now (clinic quick-update page), for one vaccine and
    funding on one Taipei day. Staff know what is in their opened vials better than the
    ledger does, so an announcement replaces the computed figure for that day."""

    __tablename__ = "booking_leftover_announcements"
    __table_args__ = (
        UniqueConstraint("site_id", "day", "vaccine_code", "funding"),
        CheckConstraint(in_check("funding", Funding), name="funding_known"),
        CheckConstraint("doses >= 0", name="doses_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("booking_sites.id"))
    day: Mapped[date] = mapped_column(Date)
    vaccine_code: Mapped[str] = mapped_column(String(20))
    funding: Mapped[str] = mapped_column(String(20))
    doses: Mapped[int] = mapped_column(Integer)
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime)
    announced_by: Mapped[str] = mapped_column(String(200))
