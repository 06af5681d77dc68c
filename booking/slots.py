"""Sessions and slots: open with capacity covered by doses, resize, close, search.

Opening a slot reserves its capacity in the site's dose pool with one conditional
UPDATE, so the capacity on offer never exceeds the doses in the fridge; booking takes
a place with another (``booked < capacity``), so a slot is never overbooked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from booking import stock
from booking._internal.atomic import apply, unique_insert
from booking.enums import AppointmentStatus, Funding, LotType
from booking.enums import Session as DaySession
from booking.errors import AlreadyExists, BookingInputError, InsufficientStock, SlotNotFound
from booking.models import SLOT_TIME_ORDER, Appointment, DosePool, Lot, Site, SiteStock, Slot
from booking.schemas import SlotCreate, SlotPublic
from booking.taiwan import TAIPEI, taipei_date
from vaxx import audit
from vaxx.db import get_by_id


def get(session: Session, slot_id: int) -> Slot:
    slot = get_by_id(session, Slot, slot_id)
    if slot is None:
        raise SlotNotFound(f"no slot has id {slot_id}")
    return slot


def _reserve(session: Session, pool: DosePool, doses: int) -> bool:
    """Reserve (or with a negative ``doses``, release) doses of a pool for open slots."""
    return apply(
        session,
        update(DosePool)
        .where(
            DosePool.id == pool.id,
            DosePool.doses_reserved + doses >= 0,
            DosePool.doses_out + DosePool.doses_reserved + doses <= DosePool.doses_in,
        )
        .values(doses_reserved=DosePool.doses_reserved + doses),
    )


def _pool(session: Session, slot: Slot) -> DosePool:
    return stock.pool_for(session, slot.site_id, slot.vaccine_code, Funding(slot.funding))


def _require_in_date_doses(session: Session, slot: Slot) -> None:
    """The places open on or after ``slot.day`` must be covered by doses still in date then.

    The pool guarantees doses exist; this adds that they will not have expired by the
    slot's day. It is conservative: every later place counts against in-date doses only.
    """
    lot_types = [t.value for t in LotType if t.funding.value == slot.funding]
    usable = session.scalar(
        select(
            func.coalesce(
                func.sum(SiteStock.doses_received - SiteStock.doses_given - SiteStock.doses_wasted),
                0,
            )
        )
        .join(Lot, Lot.id == SiteStock.lot_id)
        .where(
            SiteStock.site_id == slot.site_id,
            Lot.vaccine_code == slot.vaccine_code,
            Lot.lot_type.in_(lot_types),
            Lot.expires_on >= slot.day,
        )
    )
    needed = session.scalar(
        select(func.coalesce(func.sum(Slot.capacity - Slot.administered), 0)).where(
            Slot.site_id == slot.site_id,
            Slot.vaccine_code == slot.vaccine_code,
            Slot.funding == slot.funding,
            Slot.day >= slot.day,
            Slot.closed_at.is_(None),
        )
    )
    if (usable or 0) < (needed or 0):
        raise InsufficientStock(
            f"only {usable} doses of {slot.vaccine_code} will still be in date on "
            f"{slot.day.isoformat()}, and {needed} places are open from then on"
        )


def open_slot(session: Session, site: Site, data: SlotCreate, *, now: datetime, actor: str) -> Slot:
    """Offer ``capacity`` places; refused when the site lacks unreserved doses."""
    if data.day < taipei_date(now):
        raise BookingInputError(f"{data.day.isoformat()} is in the past (Asia/Taipei)")
    if data.session.value not in site.sessions:
        raise BookingInputError(f"site {site.code} does not open in the {data.session} session")
    slot = Slot(
        site_id=site.id,
        day=data.day,
        session=data.session.value,
        vaccine_code=data.vaccine_code,
        funding=data.funding.value,
        capacity=data.capacity,
        booked=0,
        administered=0,
    )
    session.add(slot)
    unique_insert(
        session, AlreadyExists("that session is already open for this vaccine; resize it")
    )
    if not _reserve(session, _pool(session, slot), data.capacity):
        raise InsufficientStock(
            f"site {site.code} has fewer than {data.capacity} unreserved {data.funding} doses "
            f"of {data.vaccine_code}"
        )
    _require_in_date_doses(session, slot)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.slot.open",
        target=site.code,
        details={
            "day": data.day.isoformat(),
            "session": data.session.value,
            "vaccine": data.vaccine_code,
            "capacity": data.capacity,
        },
    )
    return slot


def resize(
    session: Session,
    slot: Slot,
    capacity: int,
    *,
    now: datetime,
    actor: str,
    action: str = "booking.slot.resize",
) -> Slot:
    """Change capacity; never below the places booked, never beyond the doses.

    ``action`` names the audit row, so a resize done for a reason (marking a session
    full) says so."""
    if slot.closed_at is not None:
        raise BookingInputError("a closed slot cannot be resized")
    delta = capacity - slot.capacity
    changed = apply(
        session,
        update(Slot)
        .where(Slot.id == slot.id, Slot.booked <= capacity, Slot.administered <= capacity)
        .values(capacity=capacity),
    )
    if not changed:
        raise BookingInputError(f"{slot.booked} places are booked; capacity cannot go below")
    if not _reserve(session, _pool(session, slot), delta):
        raise InsufficientStock(f"not enough unreserved doses to add {delta} places")
    if delta > 0:
        _require_in_date_doses(session, slot)
    audit.record(
        session,
        at=now,
        actor=actor,
        action=action,
        target=str(slot.id),
        details={"from": slot.capacity, "to": capacity},
    )
    session.refresh(slot)
    return slot


def close(session: Session, slot: Slot, *, now: datetime, actor: str) -> int:
    """End a session: unattended appointments become no-shows, unused doses are released.

    Returns the number of no-shows.
    """
    closed = apply(
        session,
        update(Slot).where(Slot.id == slot.id, Slot.closed_at.is_(None)).values(closed_at=now),
    )
    if not closed:
        raise BookingInputError("the slot is already closed")
    session.refresh(slot)
    no_shows = session.execute(
        update(Appointment)
        .where(
            Appointment.slot_id == slot.id,
            Appointment.status.in_([AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN]),
        )
        .values(status=AppointmentStatus.NO_SHOW.value, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    _reserve(session, _pool(session, slot), -(slot.capacity - slot.administered))
    count = int(getattr(no_shows, "rowcount", 0))
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.slot.close",
        target=str(slot.id),
        details={"no_shows": count, "released": slot.capacity - slot.administered},
    )
    return count


@dataclass(frozen=True)
class SlotQuery:
    county: str | None = None
    district: str | None = None
    site_code: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    session: DaySession | None = None
    vaccine_code: str | None = None
    funding: Funding | None = None
    available_only: bool = True
    limit: int = 200


def search(session: Session, query: SlotQuery, *, today: date) -> Sequence[tuple[Slot, Site]]:
    """Open slots from ``today`` on matching ``query``, soonest first."""
    statement = (
        select(Slot, Site)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.closed_at.is_(None), Slot.day >= max(today, query.day_from or today))
        .order_by(*SLOT_TIME_ORDER, Site.code, Slot.id)
        .limit(query.limit)
    )
    filters = (
        (Site.county_code, query.county),
        (Site.district, query.district),
        (Site.code, query.site_code),
        (Slot.session, query.session),
        (Slot.vaccine_code, query.vaccine_code),
        (Slot.funding, query.funding),
    )
    for column, value in filters:
        if value is not None:
            statement = statement.where(column == value)
    if query.day_to is not None:
        statement = statement.where(Slot.day <= query.day_to)
    if query.available_only:
        statement = statement.where(Slot.booked < Slot.capacity)
    return list(session.execute(statement))


def public(slot: Slot, site: Site) -> SlotPublic:
    start, end = DaySession(slot.session).hours
    return SlotPublic(
        id=slot.id,
        site_code=site.code,
        site_name_zh=site.name_zh,
        site_name_en=site.name_en,
        county_code=site.county_code,
        district=site.district,
        day=slot.day,
        session=slot.session,
        start=datetime.combine(slot.day, start, TAIPEI),
        end=datetime.combine(slot.day, end, TAIPEI),
        vaccine_code=slot.vaccine_code,
        funding=slot.funding,
        capacity=slot.capacity,
        booked=slot.booked,
        available=slot.capacity - slot.booked,
        closed=slot.closed_at is not None,
    )
