"""What the clinic quick-update page does in one tap: list a site's sessions, mark one
full, and announce the walk-in doses left now.

Marking full sets the capacity to the places already booked (so nobody else can book and
the unbooked doses go back to the site's pool); it reuses :func:`booking.slots.resize`, so
the same atomic guards apply, and retries when a booking lands between reading the count
and writing it. An announcement of leftover doses replaces, for its day, the figure
:mod:`booking.leftovers` computes from opened vials: staff see the vials, the ledger only
infers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from booking import slots, stock
from booking.enums import Funding
from booking.enums import Session as DaySession
from booking.errors import BookingInputError, InsufficientStock, SlotClosed
from booking.models import LeftoverAnnouncement, Site, Slot
from booking.taiwan import taipei_date
from vaxx import audit
from vaxx.errors import Conflict

_SESSION_ORDER = {session.value: index for index, session in enumerate(DaySession)}
MARK_FULL_ATTEMPTS = 3


class SlotBusy(Conflict):
    """Bookings kept landing while the session was being marked full; tap again."""

    code = "slot_busy"


def site_slots(session: Session, site: Site, first: date, last: date) -> list[Slot]:
    """Every session of ``site`` from ``first`` to ``last``, closed and full ones included
    (staff need to see those too), in the order of the day."""
    found: Sequence[Slot] = session.scalars(
        select(Slot).where(Slot.site_id == site.id, Slot.day >= first, Slot.day <= last)
    ).all()
    return sorted(
        found, key=lambda s: (s.day, _SESSION_ORDER.get(s.session, 9), s.vaccine_code, s.id)
    )


def mark_full(session: Session, slot: Slot, *, now: datetime, actor: str) -> Slot:
    """Stop bookings for the session: capacity becomes the places booked (idempotent)."""
    for _ in range(MARK_FULL_ATTEMPTS):
        session.refresh(slot)
        if slot.closed_at is not None:
            raise SlotClosed("the session has ended; there is nothing to mark full")
        if slot.booked >= slot.capacity:
            return slot
        try:
            return slots.resize(
                session, slot, slot.booked, now=now, actor=actor, action="booking.slot.mark-full"
            )
        except BookingInputError:
            continue  # a booking landed after the refresh: read the count again
    raise SlotBusy("bookings are still arriving for this session; try again")


def announce_leftovers(
    session: Session,
    site: Site,
    vaccine_code: str,
    funding: Funding,
    doses: int,
    *,
    now: datetime,
    actor: str,
) -> LeftoverAnnouncement:
    """Publish ``doses`` walk-in doses at ``site`` for today (Asia/Taipei); 0 withdraws.

    Refused when the site does not hold that many doses of the product at all.
    """
    pool = stock.pool_for(session, site.id, vaccine_code, funding)
    on_hand = pool.doses_in - pool.doses_out
    if doses > on_hand:
        raise InsufficientStock(
            f"site {site.code} holds {on_hand} {funding} doses of {vaccine_code}, not {doses}"
        )
    day = taipei_date(now)
    values = {
        "site_id": site.id,
        "day": day,
        "vaccine_code": vaccine_code,
        "funding": funding.value,
        "doses": doses,
        "announced_at": now,
        "announced_by": actor,
    }
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(LeftoverAnnouncement).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["site_id", "day", "vaccine_code", "funding"],
            set_={"doses": doses, "announced_at": now, "announced_by": actor},
        )
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.leftovers.announce",
        target=site.code,
        details={"vaccine": vaccine_code, "funding": funding.value, "doses": doses},
    )
    return session.scalars(
        select(LeftoverAnnouncement).where(
            LeftoverAnnouncement.site_id == site.id,
            LeftoverAnnouncement.day == day,
            LeftoverAnnouncement.vaccine_code == vaccine_code,
            LeftoverAnnouncement.funding == funding.value,
        )
    ).one()


def announcements(
    session: Session, day: date, *, county: str | None = None
) -> list[tuple[LeftoverAnnouncement, Site]]:
    """The announcements of ``day`` (withdrawn ones included: they override too)."""
    query = (
        select(LeftoverAnnouncement, Site)
        .join(Site, Site.id == LeftoverAnnouncement.site_id)
        .where(LeftoverAnnouncement.day == day)
    )
    if county is not None:
        query = query.where(Site.county_code == county)
    return [(row, site) for row, site in session.execute(query)]
