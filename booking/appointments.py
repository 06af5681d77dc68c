"""Book, look up, cancel and check in appointments.

No overbooking: a place is taken with ``UPDATE booking_slots SET booked = booked + 1
WHERE id = :slot AND booked < capacity`` (the row lock serialises concurrent bookers,
the CHECK constraint backs it up). One active appointment per person per dose: a
partial unique index, so a relative booking twice gets a clear conflict.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from booking import eligibility, history, rules
from booking._internal.atomic import apply
from booking.enums import ACTIVE_STATUSES, AppointmentStatus, Funding
from booking.errors import (
    AppointmentNotFound,
    DuplicateAppointment,
    InvalidTransition,
    NotEligible,
    SlotClosed,
    SlotFull,
)
from booking.models import Appointment, Slot
from booking.schemas import BookingCreate
from booking.taiwan import IdType, taipei_date
from vaxx import metrics

# Crockford base32 without I, L, O, U: easy to read out over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    """An unguessable 8-character booking reference (40 bits), e.g. ``K7Q2M9XD``."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def plan(session: Session, id_type: IdType, person: str, slot: Slot) -> rules.DosePlan:
    """The dose this person would get in ``slot``; :class:`NotEligible` if not allowed."""
    dose = rules.plan_next_dose(history.prior_doses(session, id_type, person), slot.vaccine_code)
    reasons = [r for r in [rules.interval_reason(dose, slot.day)] if r is not None]
    decision = eligibility.decide(
        session,
        person,
        vaccine_code=slot.vaccine_code,
        day=slot.day,
        funding=Funding(slot.funding),
    )
    reasons.extend(decision.reasons)
    if reasons:
        raise NotEligible(
            "; ".join(r.detail for r in reasons),
            reasons=[{"code": r.code, "detail": r.detail} for r in reasons],
        )
    return dose


def book(session: Session, slot: Slot, data: BookingCreate, *, now: datetime) -> Appointment:
    """Take one place in ``slot`` for the person; the caller commits."""
    person = history.person_key(data.id_type, data.id_value)
    if slot.closed_at is not None or slot.day < taipei_date(now):
        raise SlotClosed("this slot no longer takes bookings")
    history.require_birth_date(session, data.id_type, person, data.birth_date)
    dose = plan(session, data.id_type, person, slot)
    _refuse_duplicate(session, data.id_type, person, dose.dose_number)
    taken = apply(
        session,
        update(Slot)
        .where(Slot.id == slot.id, Slot.booked < Slot.capacity, Slot.closed_at.is_(None))
        .values(booked=Slot.booked + 1),
    )
    if not taken:
        raise SlotFull("this slot is fully booked; choose another")
    appointment = Appointment(
        reference=new_reference(),
        id_type=data.id_type.value,
        id_value=person,
        birth_date=data.birth_date,
        phone=data.phone,
        slot_id=slot.id,
        dose_number=dose.dose_number,
        channel=data.channel.value,
        status=AppointmentStatus.BOOKED.value,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise _duplicate(dose.dose_number) from None
    metrics.count_on_commit(session, metrics.BOOKINGS.labels(data.channel.value).inc)
    return appointment


def _duplicate(dose_number: int) -> DuplicateAppointment:
    return DuplicateAppointment(
        f"this person already has an appointment or a record for dose {dose_number}"
    )


def _refuse_duplicate(session: Session, id_type: IdType, person: str, dose_number: int) -> None:
    """A friendly early answer; the partial unique index is what guarantees it."""
    existing = session.scalars(
        select(Appointment.id).where(
            Appointment.id_type == id_type.value,
            Appointment.id_value == person,
            Appointment.dose_number == dose_number,
            Appointment.status.in_(ACTIVE_STATUSES),
        )
    ).first()
    if existing is not None:
        raise _duplicate(dose_number)


def find(session: Session, reference: str, birth_date: date) -> Appointment:
    """The appointment for a reference and birth date (the second factor).

    A wrong birth date and an unknown reference get the same answer, so the reference
    cannot be probed for whom it belongs to.
    """
    appointment = session.scalars(
        select(Appointment).where(Appointment.reference == reference.strip().upper())
    ).one_or_none()
    if appointment is None or not secrets.compare_digest(
        appointment.birth_date.isoformat(), birth_date.isoformat()
    ):
        raise AppointmentNotFound("no appointment matches this reference and birth date")
    return appointment


def by_reference(session: Session, reference: str) -> Appointment:
    appointment = session.scalars(
        select(Appointment).where(Appointment.reference == reference.strip().upper())
    ).one_or_none()
    if appointment is None:
        raise AppointmentNotFound(f"no appointment has reference {reference}")
    return appointment


def _move(
    session: Session,
    appointment: Appointment,
    to: AppointmentStatus,
    allowed: tuple[AppointmentStatus, ...],
    now: datetime,
) -> None:
    """Change status only from ``allowed`` ones, atomically (two cancels cannot both count)."""
    moved = apply(
        session,
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status.in_(allowed))
        .values(status=to.value, updated_at=now),
    )
    if not moved:
        session.refresh(appointment)
        raise InvalidTransition(f"an appointment that is {appointment.status} cannot become {to}")
    session.refresh(appointment)


def cancel(session: Session, appointment: Appointment, *, now: datetime) -> None:
    """Cancel and give the place back to the slot."""
    _move(session, appointment, AppointmentStatus.CANCELLED, (AppointmentStatus.BOOKED,), now)
    apply(
        session,
        update(Slot)
        .where(Slot.id == appointment.slot_id, Slot.booked > 0)
        .values(booked=Slot.booked - 1),
    )


def reschedule(
    session: Session, appointment: Appointment, new_slot: Slot, *, now: datetime
) -> Appointment:
    """Move a booked appointment to ``new_slot``: the new place is taken before the old one
    is given back, so a full slot leaves the appointment where it was."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise InvalidTransition(f"an appointment that is {appointment.status} cannot move")
    old_slot_id = appointment.slot_id
    if new_slot.id == old_slot_id:
        return appointment
    if new_slot.closed_at is not None or new_slot.day < taipei_date(now):
        raise SlotClosed("this slot no longer takes bookings")
    plan(session, IdType(appointment.id_type), appointment.id_value, new_slot)
    taken = apply(
        session,
        update(Slot)
        .where(Slot.id == new_slot.id, Slot.booked < Slot.capacity, Slot.closed_at.is_(None))
        .values(booked=Slot.booked + 1),
    )
    if not taken:
        raise SlotFull("this slot is fully booked; choose another")
    moved = apply(
        session,
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status == AppointmentStatus.BOOKED)
        .values(slot_id=new_slot.id, updated_at=now),
    )
    if not moved:
        raise InvalidTransition("the appointment changed meanwhile; look it up again")
    apply(
        session,
        update(Slot).where(Slot.id == old_slot_id, Slot.booked > 0).values(booked=Slot.booked - 1),
    )
    session.refresh(appointment)
    return appointment


def check_in(session: Session, appointment: Appointment, *, now: datetime) -> None:
    """The person arrived on the day of their slot."""
    slot = session.get_one(Slot, appointment.slot_id)
    if slot.day != taipei_date(now):
        raise InvalidTransition(f"this appointment is for {slot.day.isoformat()}, not today")
    _move(session, appointment, AppointmentStatus.CHECKED_IN, (AppointmentStatus.BOOKED,), now)


def mark_administered(session: Session, appointment: Appointment, *, now: datetime) -> None:
    allowed = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
    _move(session, appointment, AppointmentStatus.ADMINISTERED, allowed, now)


def masked(appointment: Appointment) -> str:
    value = appointment.id_value
    return value[:3] + "*" * max(len(value) - 6, 1) + value[-3:]
