"""Priority categories and the weekly eligible-person lists, and the eligibility answer.

A list arrives as CSV with a ``national_id`` column (national IDs or resident permit
numbers). It is checked whole before anything is written: every bad row is reported
with its line number, and a list either replaces that week's list entirely or not at all.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from booking import rules
from booking.enums import Funding
from booking.errors import CategoryNotFound, EligibilityImportInvalid
from booking.models import Category, EligibilityList, EligiblePerson
from booking.schemas import CategoryCreate
from booking.taiwan import IdType, normalise_person_id
from vaxx import audit

MAX_ROWS = 200_000
MAX_REPORTED_ERRORS = 100


def upsert_category(
    session: Session, data: CategoryCreate, *, now: datetime, actor: str
) -> Category:
    """Create a category or change its names, vaccines and window."""
    category = session.get(Category, data.code) or Category(code=data.code)
    category.name_zh, category.name_en = data.name_zh, data.name_en
    category.vaccine_codes = list(dict.fromkeys(data.vaccine_codes))
    category.active_from, category.active_until = data.active_from, data.active_until
    session.add(category)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.category.upsert",
        target=data.code,
        details=data.model_dump(mode="json"),
    )
    return category


def _person_id(value: str) -> str:
    """A national ID (second character 1 or 2) or else a resident permit number."""
    national = value[1:2] in ("1", "2")
    return normalise_person_id(IdType.NATIONAL_ID if national else IdType.RESIDENT_PERMIT, value)


def parse_list(text: str) -> list[str]:
    """The identifiers of a list CSV; :class:`EligibilityImportInvalid` lists every bad row."""
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if "national_id" not in header:
        raise EligibilityImportInvalid("the CSV needs a header row with a national_id column")
    column = header.index("national_id")
    ids: dict[str, int] = {}
    errors: list[dict[str, object]] = []
    for line, row in enumerate(reader, start=2):
        if len(ids) + len(errors) >= MAX_ROWS:
            raise EligibilityImportInvalid(f"a list holds at most {MAX_ROWS} rows")
        value = row[column].strip() if len(row) > column else ""
        try:
            person = _person_id(value)
        except ValueError as exc:
            errors.append({"line": line, "value": value, "error": str(exc)})
            continue
        if person in ids:
            errors.append({"line": line, "value": value, "error": f"repeats line {ids[person]}"})
        ids.setdefault(person, line)
    if errors:
        raise EligibilityImportInvalid(
            f"{len(errors)} bad rows; nothing was imported", errors=errors[:MAX_REPORTED_ERRORS]
        )
    if not ids:
        raise EligibilityImportInvalid("the CSV has no rows")
    return list(ids)


def import_list(
    session: Session, category_code: str, week: date, text: str, *, now: datetime, actor: str
) -> EligibilityList:
    """Replace the list of ``category_code`` for the week starting ``week`` (a Monday)."""
    if session.get(Category, category_code) is None:
        raise CategoryNotFound(f"no priority category {category_code}")
    if week.weekday() != 0:
        raise EligibilityImportInvalid(f"{week.isoformat()} is not a Monday")
    persons = parse_list(text)
    old = select(EligibilityList.id).where(
        EligibilityList.category_code == category_code, EligibilityList.week_start == week
    )
    for old_id in session.scalars(old).all():
        session.execute(delete(EligiblePerson).where(EligiblePerson.list_id == old_id))
        session.execute(delete(EligibilityList).where(EligibilityList.id == old_id))
    listing = EligibilityList(
        category_code=category_code,
        week_start=week,
        person_count=len(persons),
        imported_at=now,
        imported_by=actor,
    )
    session.add(listing)
    session.flush()
    session.execute(
        insert(EligiblePerson), [{"list_id": listing.id, "person_id": p} for p in persons]
    )
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.eligibility.import",
        target=category_code,
        details={"week_start": week.isoformat(), "persons": len(persons)},
    )
    return listing


def decide(
    session: Session, person_id: str, *, vaccine_code: str, day: date, funding: Funding
) -> rules.Decision:
    """The eligibility answer for one person, vaccine and day (with reasons when not)."""
    categories = [
        rules.CategoryWindow(c.code, tuple(c.vaccine_codes), c.active_from, c.active_until)
        for c in session.scalars(select(Category))
    ]
    listed = set(
        session.scalars(
            select(EligibilityList.category_code)
            .join(EligiblePerson, EligiblePerson.list_id == EligibilityList.id)
            .where(
                EligiblePerson.person_id == person_id,
                EligibilityList.week_start == rules.week_start(day),
            )
        )
    )
    return rules.decide_eligibility(
        vaccine_code=vaccine_code,
        day=day,
        funding=funding,
        categories=categories,
        listed_in=listed,
    )
