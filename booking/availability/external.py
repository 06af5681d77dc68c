"""Availability reported by other systems (partner pushes and SMART feeds), as open-data rows."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from booking.availability.models import ExternalLocation, ExternalSlot, Source
from booking.availability.open_data import Filters, county_names, session_of
from booking.availability.schemas import AvailabilityRow
from booking.enums import Funding
from booking.taiwan import TAIPEI, taipei_date

Row = tuple[ExternalSlot, ExternalLocation, Source]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), TAIPEI)


def _query(filters: Filters, today: date) -> Select[ExternalSlot, ExternalLocation, Source]:
    statement = (
        select(ExternalSlot, ExternalLocation, Source)
        .join(ExternalLocation, ExternalLocation.id == ExternalSlot.location_id)
        .join(Source, Source.id == ExternalSlot.source_id)
        .where(ExternalSlot.start >= _midnight(max(today, filters.day_from or today)))
        .order_by(ExternalSlot.start, Source.name, ExternalLocation.external_id, ExternalSlot.id)
        .limit(filters.limit * 2)  # a session may come as a free and a busy slot
    )
    for column, value in (
        (ExternalLocation.county_code, filters.county),
        (ExternalLocation.district, filters.district),
        (ExternalLocation.external_id, filters.site),
        (ExternalSlot.vaccine, filters.vaccine),
        (ExternalSlot.funding, filters.funding),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if filters.day_to is not None:
        statement = statement.where(ExternalSlot.start < _midnight(filters.day_to + timedelta(1)))
    return statement


def _row(group: list[Row], now: datetime, stale_after: timedelta) -> AvailabilityRow:
    slot, location, source = group[0]
    free = sum(item.capacity for item, _, _ in group if item.status == "free")
    capacity = sum(item.capacity for item, _, _ in group)
    as_of = min(item.as_of for item, _, _ in group)
    links = [item.booking_url for item, _, _ in group if item.status == "free" and item.booking_url]
    name_zh, name_en = county_names(location.county_code)
    return AvailabilityRow(
        source=source.name,
        site_id=location.external_id,
        site_name=location.name,
        site_name_en=None,
        county_code=location.county_code,
        county_name=name_zh or location.city,
        county_name_en=name_en,
        district=location.district,
        address=location.address,
        latitude=location.latitude,
        longitude=location.longitude,
        date=taipei_date(slot.start),
        session=session_of(slot.start),
        start=slot.start.astimezone(TAIPEI),
        end=slot.end.astimezone(TAIPEI),
        vaccine=slot.vaccine or "unspecified",
        funding=Funding(slot.funding) if slot.funding else None,
        capacity=capacity,
        booked=capacity - free,
        available=free,
        status="closed" if slot.end <= now else ("open" if free else "full"),
        booking_url=links[0] if links else None,
        as_of=as_of,
        stale=now - as_of > stale_after,
    )


def rows(
    session: Session, filters: Filters, *, now: datetime, stale_after: timedelta
) -> list[AvailabilityRow]:
    """Other sources' sessions matching ``filters``; free and busy slots of one session summed."""
    groups: dict[tuple[object, ...], list[Row]] = {}
    for slot, location, source in session.execute(_query(filters, taipei_date(now))):
        key = (source.id, location.id, slot.start, slot.end, slot.vaccine, slot.funding)
        groups.setdefault(key, []).append((slot, location, source))
    found = [_row(group, now, stale_after) for group in groups.values()]
    if filters.session is not None:
        found = [row for row in found if row.session == filters.session]
    if filters.available_only:
        found = [row for row in found if row.status == "open"]
    return found[: filters.limit]
