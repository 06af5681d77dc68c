"""A person's earlier doses: what clinics query before vaccinating, and what the next
dose number and minimum interval are derived from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import rules
from booking._internal.atomic import unique_insert
from booking.errors import AlreadyExists, BookingInputError, NotEligible
from booking.models import Administration, ExternalDose, Lot
from booking.schemas import ExternalDoseCreate
from booking.taiwan import IdType, normalise_person_id, taipei_date
from booking.vaccines import VACCINES
from profiles import DateInvalid, parse_roc_date
from profiles import valuesets as profiles_valuesets
from vaxx import audit


def person_key(id_type: IdType, id_value: str) -> str:
    """The normalised identifier, or a 422 saying what is wrong with it."""
    try:
        return normalise_person_id(id_type, id_value)
    except ValueError as exc:
        raise BookingInputError(str(exc), field="id_value") from None


def require_birth_date(session: Session, id_type: IdType, id_value: str, birth_date: date) -> None:
    """Refuse a public request whose birth date contradicts the person's recorded doses.

    Without this, anyone could learn from an identifier alone how many doses its holder
    had and when (the dose number and the interval refusal tell it). The answer says
    nothing about what is on record.
    """
    recorded = session.scalars(
        select(Administration.birth_date).where(
            Administration.id_type == id_type.value, Administration.id_value == id_value
        )
    ).first()
    if recorded is not None and recorded != birth_date:
        detail = "the identifier and birth date do not match our records"
        raise NotEligible(detail, reasons=[{"code": "identity_mismatch", "detail": detail}])


def doses(session: Session, id_type: IdType, id_value: str) -> list[tuple[Administration, Lot]]:
    """Every dose recorded for the person, oldest first."""
    query = (
        select(Administration, Lot)
        .join(Lot, Lot.id == Administration.lot_id)
        .where(Administration.id_type == id_type.value, Administration.id_value == id_value)
        .order_by(Administration.administered_at)
    )
    return list(session.execute(query))


def external(session: Session, id_type: IdType, id_value: str) -> list[ExternalDose]:
    query = select(ExternalDose).where(
        ExternalDose.id_type == id_type.value, ExternalDose.id_value == id_value
    )
    return list(session.scalars(query.order_by(ExternalDose.given_on)))


def prior_doses(session: Session, id_type: IdType, id_value: str) -> list[rules.PriorDose]:
    """Every earlier dose, given here or entered from elsewhere, oldest first."""
    here = [
        rules.PriorDose(lot.vaccine_code, taipei_date(dose.administered_at))
        for dose, lot in doses(session, id_type, id_value)
    ]
    elsewhere = [
        rules.PriorDose(dose.vaccine_code, dose.given_on)
        for dose in external(session, id_type, id_value)
    ]
    return sorted(here + elsewhere, key=lambda dose: dose.day)


def _vaccine_code(code: str) -> str:
    """A Taiwan CDC code (or a Taiwan IG alias such as ``COVID19AZ``) of a COVID-19 vaccine."""
    known = profiles_valuesets.tw_cdc_vaccine(code.strip())
    if known is None or known.code not in VACCINES:
        raise BookingInputError(
            f"{code!r} is not a known COVID-19 vaccine code", field="vaccine_code"
        )
    code_: str = known.code
    return code_


def _date(text: str, today: date) -> date:
    """An ISO date or an ROC (Minguo) date as clinic systems write it; never in the future."""
    try:
        given = (
            date.fromisoformat(text) if "-" in text and len(text) == 10 else parse_roc_date(text)
        )
    except (ValueError, DateInvalid):
        raise BookingInputError(
            f"{text!r} is neither an ISO nor an ROC date", field="given_on"
        ) from None
    if given > today:
        raise BookingInputError(f"{given.isoformat()} is in the future", field="given_on")
    return given


def record_external(
    session: Session, data: ExternalDoseCreate, *, now: datetime, actor: str
) -> ExternalDose:
    """Enter a dose given elsewhere, so dose numbers and intervals count it."""
    dose = ExternalDose(
        id_type=data.id_type.value,
        id_value=person_key(data.id_type, data.id_value),
        vaccine_code=_vaccine_code(data.vaccine_code),
        given_on=_date(data.given_on, taipei_date(now)),
        lot_number=data.lot_number,
        institution_code=data.institution_code,
        recorded_at=now,
        recorded_by=actor,
    )
    session.add(dose)
    unique_insert(session, AlreadyExists("this dose is already in the person's history"))
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.history.record",
        target=dose.id_value,
        details={"vaccine": dose.vaccine_code, "given_on": dose.given_on.isoformat()},
    )
    return dose
