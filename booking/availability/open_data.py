"""Open availability: vaxx's own sessions and what partners and feeds reported, in one list.

vaxx's figures are read live (``as_of`` = now, never stale). Other sources' figures keep
the time the source said they were true, and are flagged ``stale`` past the freshness
window, so a reader never mistakes an old count for a current one. A source's free and
busy slots of one session (SMART feeds publish them as separate aggregated Slots) are
summed into one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from booking import taiwan
from booking.availability.schemas import AvailabilityRow
from booking.enums import Funding
from booking.enums import Session as DaySession
from booking.models import SLOT_TIME_ORDER, Site, Slot
from booking.smart_links import resources
from booking.taiwan import TAIPEI


@dataclass(frozen=True)
class Filters:
    county: str | None = None
    district: str | None = None
    site: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    session: DaySession | None = None
    vaccine: str | None = None
    funding: Funding | None = None
    available_only: bool = False
    limit: int = 1000


def session_of(start: datetime) -> DaySession:
    """The session a start time falls in (Asia/Taipei): before noon, before six, after."""
    local = start.astimezone(TAIPEI).time()
    if local < time(12, 0):
        return DaySession.MORNING
    return DaySession.AFTERNOON if local < time(18, 0) else DaySession.EVENING


def county_names(code: str | None) -> tuple[str | None, str | None]:
    if code is None:
        return None, None
    county = taiwan.county(code)
    return county.name_zh, county.name_en


def _own_query(filters: Filters, today: date) -> Select[Slot, Site]:
    statement = (
        select(Slot, Site)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.day >= max(today, filters.day_from or today))
        .order_by(*SLOT_TIME_ORDER, Site.code, Slot.id)
        .limit(filters.limit)
    )
    for column, value in (
        (Site.county_code, filters.county),
        (Site.district, filters.district),
        (Site.code, filters.site),
        (Slot.session, filters.session),
        (Slot.vaccine_code, filters.vaccine),
        (Slot.funding, filters.funding),
    ):
        if value is not None:
            statement = statement.where(column == value)
    if filters.day_to is not None:
        statement = statement.where(Slot.day <= filters.day_to)
    if filters.available_only:
        statement = statement.where(Slot.booked < Slot.capacity, Slot.closed_at.is_(None))
    return statement


def _own_row(slot: Slot, site: Site, booking_url: str, now: datetime) -> AvailabilityRow:
    start, end = DaySession(slot.session).hours
    free = 0 if slot.closed_at is not None else slot.capacity - slot.booked
    name_zh, name_en = county_names(site.county_code)
    return AvailabilityRow(
        source="vaxx",
        site_id=site.code,
        site_name=site.name_zh,
        site_name_en=site.name_en,
        county_code=site.county_code,
        county_name=name_zh,
        county_name_en=name_en,
        district=site.district,
        address=site.address,
        latitude=site.latitude,
        longitude=site.longitude,
        date=slot.day,
        session=DaySession(slot.session),
        start=datetime.combine(slot.day, start, TAIPEI),
        end=datetime.combine(slot.day, end, TAIPEI),
        vaccine=slot.vaccine_code,
        funding=Funding(slot.funding),
        capacity=slot.capacity,
        booked=slot.booked,
        available=free,
        status="closed" if slot.closed_at is not None else ("open" if free else "full"),
        booking_url=resources.deep_link(booking_url, slot.id) if free else None,
        as_of=now,
        stale=False,
    )


def own(
    session: Session, filters: Filters, *, booking_url: str, now: datetime
) -> list[AvailabilityRow]:
    today = taiwan.taipei_date(now)
    rows = session.execute(_own_query(filters, today))
    return [_own_row(slot, site, booking_url, now) for slot, site in rows]
