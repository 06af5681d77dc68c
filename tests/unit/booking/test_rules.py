"""The booking rules on their own: eligibility windows and lists, dose numbers, intervals."""

from __future__ import annotations

from datetime import date

import pytest

from booking import rules
from booking.enums import Funding
from booking.vaccines import BOOSTER_MIN_INTERVAL_DAYS

MEDICAL = rules.CategoryWindow("1", ("CoV BNT", "CoV Moderna"), date(2026, 11, 1), None)
ELDERLY = rules.CategoryWindow("6", ("CoV AZ",), date(2026, 11, 1), date(2026, 11, 30))
DAY = date(2026, 11, 24)


def _decide(vaccine: str = "CoV BNT", day: date = DAY, listed: set[str] | None = None, **kw):
    return rules.decide_eligibility(
        vaccine_code=vaccine, day=day, funding=kw.get("funding", Funding.PUBLIC),
        categories=[MEDICAL, ELDERLY], listed_in=listed if listed is not None else {"1"},
    )  # fmt: skip


def test_week_start_is_the_monday() -> None:
    assert rules.week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert rules.week_start(date(2026, 11, 23)) == date(2026, 11, 23)


def test_listed_person_in_an_active_category_is_eligible() -> None:
    assert _decide() == rules.Decision(eligible=True, category="1")


@pytest.mark.parametrize(
    ("vaccine", "day", "listed", "code"),
    [
        pytest.param("CoV Novavax", DAY, {"1"}, "no_category", id="no-category-covers-vaccine"),
        pytest.param("CoV BNT", DAY, set(), "not_listed", id="not-on-this-weeks-list"),
        pytest.param("CoV AZ", date(2026, 12, 1), {"6"}, "category_inactive", id="window-ended"),
        pytest.param("CoV AZ", date(2026, 10, 31), {"6"}, "category_inactive", id="not-yet-open"),
    ],
)
def test_refusals_say_why(vaccine: str, day: date, listed: set[str], code: str) -> None:
    decision = _decide(vaccine, day, listed)
    assert not decision.eligible
    assert [reason.code for reason in decision.reasons] == [code]
    assert decision.reasons[0].detail


def test_window_bounds_are_inclusive() -> None:
    assert _decide("CoV AZ", date(2026, 11, 30), {"6"}).eligible
    assert _decide("CoV AZ", date(2026, 11, 1), {"6"}).eligible


def test_self_paid_needs_no_category() -> None:
    assert _decide("CoV Novavax", listed=set(), funding=Funding.SELF_PAID).eligible


def test_first_dose_has_no_interval() -> None:
    plan = rules.plan_next_dose([], "CoV AZ")
    assert (plan.dose_number, plan.series_doses, plan.earliest) == (1, 2, None)
    assert rules.interval_reason(plan, DAY) is None


def test_second_dose_waits_for_the_earlier_products_interval() -> None:
    plan = rules.plan_next_dose([rules.PriorDose("CoV AZ", date(2026, 9, 1))], "CoV Moderna")
    assert (plan.dose_number, plan.series_doses) == (2, 2)
    assert plan.earliest == date(2026, 10, 27)  # AZ: 56 days
    too_soon = rules.interval_reason(plan, date(2026, 10, 26))
    assert too_soon is not None
    assert too_soon.code == "too_soon"
    assert rules.interval_reason(plan, date(2026, 10, 27)) is None


def test_a_booster_counts_every_earlier_dose_and_waits_twelve_weeks() -> None:
    history = [
        rules.PriorDose("CoV BNT", date(2026, 6, 1)),
        rules.PriorDose("CoV BNT", date(2026, 6, 22)),
    ]
    plan = rules.plan_next_dose(list(reversed(history)), "CoV Moderna")
    assert plan.is_booster
    assert (plan.dose_number, plan.series_doses) == (3, 3)
    assert (plan.earliest - date(2026, 6, 22)).days == BOOSTER_MIN_INTERVAL_DAYS
