"""No overbooking, ever: many threads book one slot at once, each with its own database
connection, on SQLite and PostgreSQL. Exactly ``capacity`` succeed, the rest are told
the slot is full, and the slot's count matches the appointment rows."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from booking import appointments, slots
from booking.enums import Channel
from booking.errors import DuplicateAppointment, SlotFull
from booking.models import Appointment, Slot
from booking.schemas import BookingCreate
from booking.taiwan import IdType
from tests.integration.booking.conftest import Staff, national_id
from vaxx import db

ATTEMPTS = 200
CAPACITY = 50


def _attempt(factory: sessionmaker[Session], clock, slot_id: int, person: str) -> str:
    body = BookingCreate(
        slot_id=slot_id,
        id_type=IdType.NATIONAL_ID,
        id_value=person,
        birth_date=date(1990, 1, 1),
        channel=Channel.PARTNER,
    )
    try:
        with db.transaction(factory) as session:
            appointments.book(session, slots.get(session, slot_id), body, now=clock())
    except SlotFull:
        return "full"
    except DuplicateAppointment:
        return "duplicate"
    return "booked"


def _run(factory, clock, jobs: list[tuple[int, str]]) -> Counter[str]:
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = pool.map(lambda job: _attempt(factory, clock, *job), jobs)
        return Counter(results)


def test_concurrent_bookings_never_overbook(staff: Staff, session_factory, clock) -> None:
    people = [national_id(serial) for serial in range(ATTEMPTS)]
    staff.site()
    lot = staff.lot()
    staff.stock(lot, 10)
    slot_id = staff.slot(CAPACITY)
    staff.eligible(*people)

    outcome = _run(session_factory, clock, [(slot_id, person) for person in people])

    assert outcome == Counter(booked=CAPACITY, full=ATTEMPTS - CAPACITY)
    with session_factory() as session:
        slot = session.get_one(Slot, slot_id)
        rows = session.scalar(select(func.count()).where(Appointment.slot_id == slot_id))
        assert slot.booked == rows == CAPACITY


def test_one_person_booking_the_same_dose_concurrently_gets_one_place(
    staff: Staff, session_factory, clock
) -> None:
    person = national_id(4242)
    staff.site(sessions=["morning", "afternoon"])
    lot = staff.lot()
    staff.stock(lot, 10)
    morning = staff.slot(20)
    afternoon = staff.call(
        "POST",
        "/booking/staff/sites/1133060019/slots",
        201,
        json={
            "day": "2026-11-24",
            "session": "afternoon",
            "vaccine_code": "CoV BNT",
            "capacity": 20,
        },
    )["id"]
    staff.eligible(person)

    outcome = _run(session_factory, clock, [(morning, person), (afternoon, person)] * 10)

    assert outcome == Counter(booked=1, duplicate=19)
    with session_factory() as session:
        booked = session.scalars(select(Slot.booked).where(Slot.id.in_([morning, afternoon])))
        assert sum(booked) == 1
