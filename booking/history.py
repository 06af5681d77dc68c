"""A person's earlier doses: what clinics query before vaccinating, and what the next
dose number and minimum interval are derived from."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking import rules
from booking.errors import BookingInputError
from booking.models import Administration, Lot
from booking.taiwan import IdType, normalise_person_id, taipei_date


def person_key(id_type: IdType, id_value: str) -> str:
    """The normalised identifier, or a 422 saying what is wrong with it."""
    try:
        return normalise_person_id(id_type, id_value)
    except ValueError as exc:
        raise BookingInputError(str(exc), field="id_value") from None


def doses(session: Session, id_type: IdType, id_value: str) -> list[tuple[Administration, Lot]]:
    """Every dose recorded for the person, oldest first."""
    query = (
        select(Administration, Lot)
        .join(Lot, Lot.id == Administration.lot_id)
        .where(Administration.id_type == id_type.value, Administration.id_value == id_value)
        .order_by(Administration.administered_at)
    )
    return list(session.execute(query))


def prior_doses(session: Session, id_type: IdType, id_value: str) -> list[rules.PriorDose]:
    return [
        rules.PriorDose(lot.vaccine_code, taipei_date(dose.administered_at))
        for dose, lot in doses(session, id_type, id_value)
    ]
