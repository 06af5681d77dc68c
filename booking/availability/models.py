"""Availability tables: what other systems tell us, and when our feed last changed.

``availability_sources`` are the systems vaxx aggregates: SMART Scheduling Links publishers
it pulls, and partner booking systems that push (an ``availability-source`` API client).
Their locations and slots are kept apart from booking's own rows, each with the source, the
time the source said it was true (``as_of``) and the time vaxx received it, so a reader can
always tell fresh data from stale.

``availability_publication`` is the change ledger of vaxx's own SMART feed: the digest of
each published resource and when it last changed, which is what ``_since`` filters on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vaxx.db import Base, UTCDateTime


class Source(Base):
    """A system whose availability vaxx republishes."""

    __tablename__ = "availability_sources"
    __table_args__ = (CheckConstraint("kind IN ('smart-feed', 'partner')", name="kind_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(500))
    """The ``$bulk-publish`` manifest URL of a SMART feed."""
    client_id: Mapped[str | None] = mapped_column(ForeignKey("api_clients.id"), unique=True)
    """The API client a partner pushes with."""
    as_of: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When vaxx last stored this source's data (a feed's last successful pull)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pull_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When a replica last claimed this feed; the next pull is due a period later."""
    pull_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Until when the claiming replica holds the feed (a crashed puller's claim runs out)."""
    pull_lease_owner: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(1000))
    """Why the last pull failed; cleared by a successful one."""
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ExternalLocation(Base):
    """A place where a source offers appointments (its FHIR Location, flattened)."""

    __tablename__ = "availability_external_locations"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("availability_sources.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    county_code: Mapped[str | None] = mapped_column(String(5), index=True)
    """Our county code when the source's city/state names a Taiwan county."""
    city: Mapped[str | None] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(50))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExternalSlot(Base):
    """A slot (or an aggregate of identical slots) a source offers at one of its locations."""

    __tablename__ = "availability_external_slots"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        CheckConstraint("status IN ('free', 'busy')", name="status_known"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("availability_sources.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("availability_external_locations.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(64))
    vaccine: Mapped[str | None] = mapped_column(String(200))
    funding: Mapped[str | None] = mapped_column(String(20))
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    capacity: Mapped[int] = mapped_column(Integer)
    booking_url: Mapped[str | None] = mapped_column(String(1000))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Publication(Base):
    """One resource of vaxx's SMART feed: its digest and when it last changed."""

    __tablename__ = "availability_publication"

    resource_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
