"""Recording an administered dose: stock, appointment, history, Immunization Bundle.

The checks run in the order a clinic system makes them: the lot must be known, not
expired, delivered to this site and not used up (each a clear 422); the dose number
comes from the person's history, and a dose too soon after the last one is refused.
Stock, slot and appointment change with atomic conditional updates in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import profiles
from booking import appointments, fhir, history, registry, rules, stock
from booking._internal.atomic import apply
from booking.enums import Funding, LotType
from booking.errors import BookingInputError, DuplicateAppointment, InsufficientStock, NotEligible
from booking.models import Administration, Appointment, Lot, Site, SiteStock, Slot
from booking.schemas import AdministrationCreate, PersonIn
from booking.taiwan import IdType, taipei_date
from booking.vaccines import vaccine
from vaxx import audit

Issue = Callable[[Session, dict[str, Any]], dict[str, Any]]
"""Signs a certificate for a Bundle in the caller's transaction; returns what to keep of it."""


@dataclass(frozen=True)
class Person:
    id_type: IdType
    id_value: str
    birth_date: date


def _person(session: Session, data: AdministrationCreate) -> tuple[Person, Appointment | None]:
    if data.appointment_reference:
        found = appointments.by_reference(session, data.appointment_reference)
        return Person(IdType(found.id_type), found.id_value, found.birth_date), found
    if data.person is None:
        raise BookingInputError("give appointment_reference, or person for a walk-in")
    given: PersonIn = data.person
    key = history.person_key(given.id_type, given.id_value)
    return Person(given.id_type, key, given.birth_date), None


def _plan(session: Session, person: Person, vaccine_code: str, now: datetime) -> rules.DosePlan:
    prior = history.prior_doses(session, person.id_type, person.id_value)
    plan = rules.plan_next_dose(prior, vaccine_code)
    reason = rules.interval_reason(plan, taipei_date(now))
    if reason is not None:
        raise NotEligible(reason.detail, reasons=[{"code": reason.code, "detail": reason.detail}])
    return plan


def _consume(
    session: Session,
    site: Site,
    lot: Lot,
    lot_stock: SiteStock,
    appointment: Appointment | None,
    funding: Funding,
    now: datetime,
) -> None:
    """Take the dose from the lot and the pool (from the slot's reservation if booked)."""
    stock.take_doses(session, lot_stock, lot, given=1, wasted=0)
    pool = stock.pool_for(session, site.id, lot.vaccine_code, funding)
    reserved = 0
    if appointment is not None:
        slot = session.get_one(Slot, appointment.slot_id)
        _check_slot(slot, site, lot, funding, now)
        appointments.mark_administered(session, appointment, now=now)
        if slot.closed_at is None and _count_in_slot(session, slot):
            reserved = 1
    if not stock.take_from_pool(session, pool, 1, reserved=reserved):
        raise InsufficientStock("every remaining dose is reserved for booked slots")


def _check_slot(slot: Slot, site: Site, lot: Lot, funding: Funding, now: datetime) -> None:
    if slot.site_id != site.id:
        raise BookingInputError("the appointment is at another site")
    if slot.vaccine_code != lot.vaccine_code or slot.funding != funding.value:
        raise BookingInputError(
            f"the appointment is for {slot.vaccine_code} ({slot.funding}), "
            f"lot {lot.lot_number} is {lot.vaccine_code} ({funding})"
        )
    if slot.day != taipei_date(now):
        raise BookingInputError(f"the appointment is for {slot.day.isoformat()}, not today")


def _count_in_slot(session: Session, slot: Slot) -> bool:
    return apply(
        session,
        update(Slot)
        .where(Slot.id == slot.id, Slot.administered < Slot.capacity)
        .values(administered=Slot.administered + 1),
    )


def administer(
    session: Session,
    site: Site,
    data: AdministrationCreate,
    *,
    now: datetime,
    actor: str,
    issue: Issue | None = None,
) -> Administration:
    """Record one dose given at ``site`` now; the caller commits.

    The Bundle is validated by ``profiles`` (a 422 with its OperationOutcome if not), and
    signed by ``issue`` when given, in the same transaction: no dose without its record.
    """
    lot = stock.find_lot(session, data.vaccine_code, data.lot_number)
    lot_stock = stock.usable_stock(session, site, lot, data.lot_number, taipei_date(now))
    assert lot is not None  # noqa: S101 - usable_stock raised otherwise
    funding = LotType(lot.lot_type).funding
    if data.funding is not None and data.funding is not funding:
        raise BookingInputError(f"lot {lot.lot_number} is {funding}, not {data.funding}")
    person, appointment = _person(session, data)
    if person.id_type is IdType.PASSPORT and data.patient.passport_state is None:
        raise BookingInputError("a passport needs patient.passport_state (ISO alpha-3)")
    plan = _plan(session, person, lot.vaccine_code, now)
    _consume(session, site, lot, lot_stock, appointment, funding, now)
    bundle = fhir.immunization_bundle(_facts(data, person, site, lot, plan, now))
    profiles.parse_bundle(bundle, today=taipei_date(now))
    certificate = issue(session, bundle) if issue is not None else None
    record = Administration(
        appointment_id=appointment.id if appointment else None,
        site_id=site.id,
        lot_id=lot.id,
        id_type=person.id_type.value,
        id_value=person.id_value,
        birth_date=person.birth_date,
        dose_number=plan.dose_number,
        series_doses=plan.series_doses,
        administered_at=now,
        performer=data.performer.model_dump(),
        patient=data.patient.model_dump(),
        bundle=bundle,
        certificate=certificate,
        recorded_by=actor,
    )
    session.add(record)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DuplicateAppointment(f"dose {plan.dose_number} is already recorded") from None
    registry.enqueue(session, record, now)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.dose.administer",
        target=site.code,
        details={"administration": record.id, "lot": lot.lot_number, "dose": plan.dose_number},
    )
    return record


def _facts(
    data: AdministrationCreate,
    person: Person,
    site: Site,
    lot: Lot,
    plan: rules.DosePlan,
    now: datetime,
) -> fhir.DoseFacts:
    return fhir.DoseFacts(
        id_type=person.id_type,
        id_value=person.id_value,
        passport_state=data.patient.passport_state,
        birth_date=person.birth_date,
        family_en=data.patient.family_en,
        given_en=data.patient.given_en,
        family_zh=data.patient.family_zh,
        given_zh=data.patient.given_zh,
        gender=data.patient.gender,
        site=site,
        performer_name=data.performer.name,
        performer_licence=data.performer.licence,
        vaccine=vaccine(lot.vaccine_code),
        lot_number=lot.lot_number,
        administered_at=now,
        dose_number=plan.dose_number,
        series_doses=plan.series_doses,
    )
