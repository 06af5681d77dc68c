"""The booking rules as pure functions (no database, no clock): who may book what, on
which day, and which dose a new administration is. Services gather the facts and
call these, so the rules are unit-tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from booking.enums import Funding
from booking.vaccines import BOOSTER_MIN_INTERVAL_DAYS, vaccine


def week_start(day: date) -> date:
    """The Monday of ``day``'s week: eligibility lists are issued per week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class CategoryWindow:
    code: str
    vaccine_codes: tuple[str, ...]
    active_from: date
    active_until: date | None

    def active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


@dataclass(frozen=True)
class Reason:
    code: str
    detail: str


@dataclass(frozen=True)
class Decision:
    """Whether a person may book; ``reasons`` explains a refusal (never a bare bool)."""

    eligible: bool
    category: str | None = None
    reasons: tuple[Reason, ...] = field(default=())


def decide_eligibility(
    *,
    vaccine_code: str,
    day: date,
    funding: Funding,
    categories: Iterable[CategoryWindow],
    listed_in: set[str],
) -> Decision:
    """May someone on the lists of ``listed_in`` (for ``day``'s week) book ``vaccine_code``?

    Self-paid doses are not rationed, so they need no category. A public dose needs a
    category that covers the vaccine, is active on ``day`` and lists the person that week.
    """
    if funding is Funding.SELF_PAID:
        return Decision(eligible=True)
    covering = [c for c in categories if vaccine_code in c.vaccine_codes]
    if not covering:
        detail = f"no priority category covers {vaccine_code}"
        return Decision(eligible=False, reasons=(Reason("no_category", detail),))
    reasons = []
    for category in sorted(covering, key=lambda c: c.code):
        if not category.active_on(day):
            until = category.active_until.isoformat() if category.active_until else "open"
            window = f"{category.active_from.isoformat()} to {until}"
            detail = f"category {category.code} books {window}, not on {day.isoformat()}"
            reasons.append(Reason("category_inactive", detail))
        elif category.code not in listed_in:
            week = week_start(day).isoformat()
            detail = f"not on category {category.code}'s list for the week of {week}"
            reasons.append(Reason("not_listed", detail))
        else:
            return Decision(eligible=True, category=category.code)
    return Decision(eligible=False, reasons=tuple(reasons))


@dataclass(frozen=True)
class PriorDose:
    vaccine_code: str
    day: date


@dataclass(frozen=True)
class DosePlan:
    dose_number: int
    series_doses: int
    earliest: date | None
    """The first day the dose may be given (``None`` for a first dose)."""
    is_booster: bool = False


def plan_next_dose(history: Sequence[PriorDose], vaccine_code: str) -> DosePlan:
    """The dose a new administration of ``vaccine_code`` would be, from the person's history.

    The dose number counts earlier doses (boosters included); the series length is the
    product's primary series, and a booster is reported as dose n of n (as EU DCC
    guidance asks). The minimum interval is the earlier product's within a primary
    series, and the booster interval after it.
    """
    series = vaccine(vaccine_code).series_doses
    number = len(history) + 1
    if not history:
        return DosePlan(number, series, None)
    last = max(history, key=lambda dose: dose.day)
    previous_series = vaccine(last.vaccine_code).series_doses
    if number <= previous_series:
        gap = vaccine(last.vaccine_code).min_interval_days
    else:
        gap = BOOSTER_MIN_INTERVAL_DAYS
    booster = number > series
    return DosePlan(number, max(series, number), last.day + timedelta(days=gap), booster)


def interval_reason(plan: DosePlan, day: date) -> Reason | None:
    """Why ``day`` is too soon for the planned dose, or ``None`` when it is not."""
    if plan.earliest is None or day >= plan.earliest:
        return None
    detail = f"dose {plan.dose_number} may be given from {plan.earliest.isoformat()} on"
    return Reason("too_soon", detail)
