"""Doses allocated, booked and given per county per day (Asia/Taipei days).

allocated and booked are summed from the day's slots (a slot's capacity is the doses set
aside for it); given counts the administrations recorded in the day's local bounds, so a
dose given at 23:30 in Taipei counts on that Taipei day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from booking import taiwan
from booking.availability.schemas import DosesRow
from booking.models import Administration, Site, Slot
from booking.taiwan import TAIPEI

MAX_DAYS = 92


def _slot_sums(
    session: Session, first: date, last: date, county: str | None
) -> dict[tuple[date, str], tuple[int, int]]:
    query = (
        select(Slot.day, Site.county_code, func.sum(Slot.capacity), func.sum(Slot.booked))
        .select_from(Slot)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.day >= first, Slot.day <= last)
        .group_by(Slot.day, Site.county_code)
    )
    if county is not None:
        query = query.where(Site.county_code == county)
    return {
        (day, code): (int(cap), int(booked)) for day, code, cap, booked in session.execute(query)
    }


def _given(session: Session, day: date, county: str | None) -> dict[str, int]:
    start = datetime.combine(day, time(0), TAIPEI)
    at = Administration.administered_at
    query = (
        select(Site.county_code, func.count())
        .select_from(Administration)
        .join(Site, Site.id == Administration.site_id)
        .where(at >= start, at < start + timedelta(days=1))
        .group_by(Site.county_code)
    )
    if county is not None:
        query = query.where(Site.county_code == county)
    return {code: int(count) for code, count in session.execute(query)}


def per_county_day(
    session: Session, first: date, last: date, *, county: str | None = None
) -> list[DosesRow]:
    """One row per county and day that had slots or doses, by day then county code."""
    sums = _slot_sums(session, first, last, county)
    given: dict[tuple[date, str], int] = {}
    day = first
    while day <= last:
        given |= {(day, code): count for code, count in _given(session, day, county).items()}
        day += timedelta(days=1)
    found = []
    for key in sorted(set(sums) | set(given)):
        allocated, booked = sums.get(key, (0, 0))
        named = taiwan.county(key[1])
        found.append(
            DosesRow(
                date=key[0],
                county_code=named.code,
                county_name=named.name_zh,
                county_name_en=named.name_en,
                allocated=allocated,
                booked=booked,
                given=given.get(key, 0),
            )
        )
    return found
