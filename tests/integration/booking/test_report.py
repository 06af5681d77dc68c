"""The nightly report reconciles with the rows: per lot and local day, doses given and
wasted, vials opened, and the balance as it stood at the end of that day."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import func, select

from booking.models import Administration
from tests.integration.booking.conftest import SITE_CODE, Staff, national_id

ADMINISTER = f"/booking/staff/sites/{SITE_CODE}/administrations"
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 17:00 in Taipei
TUESDAY = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Taipei


def _give(staff: Staff, serial: int, lot: str, vaccine: str = "CoV BNT") -> None:
    body = {
        "vaccine_code": vaccine,
        "lot_number": lot,
        "patient": {"family_en": "Wu", "given_en": "Ann", "gender": "female"},
        "performer": {"name": "王美玲"},
        "person": {
            "id_type": "national-id",
            "id_value": national_id(serial),
            "birth_date": "1970-01-01",
        },
    }
    staff.call("POST", ADMINISTER, 201, json=body)


def test_daily_report_reconciles_with_the_rows(staff: Staff, clock, session_factory) -> None:
    staff.site()
    staff.stock(staff.lot("BNT1"), 2)  # 12 doses
    staff.stock(staff.lot("AZ1", vaccine="CoV AZ"), 1)  # 10 doses
    for serial in range(7):
        _give(staff, serial, "BNT1")
    _give(staff, 50, "AZ1", "CoV AZ")
    waste = {"vaccine_code": "CoV BNT", "lot_number": "BNT1", "doses": 1, "reason": "dropped"}
    staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/wastage", 201, json=waste)
    clock.now = TUESDAY
    for serial in range(7, 9):
        _give(staff, serial, "BNT1")

    monday = staff.call("GET", "/booking/staff/reports/daily?date=2026-11-23", 200)
    rows = {row["lot_number"]: row for row in monday}
    assert (
        rows["BNT1"]
        | {
            "doses_given": 7,
            "doses_wasted": 1,
            "vials_consumed": 2,
            "stock_doses": 12,
            "balance": 4,
        }
        == rows["BNT1"]
    )
    assert rows["AZ1"] | {"doses_given": 1, "vials_consumed": 1, "balance": 9} == rows["AZ1"]
    tuesday = staff.call("GET", "/booking/staff/reports/daily?date=2026-11-24&format=csv", 200)
    table = list(csv.DictReader(io.StringIO(tuesday.text)))
    assert list(table[0]) == [
        "date",
        "site_code",
        "vaccine_code",
        "lot_number",
        "lot_type",
        "stock_doses",
        "doses_given",
        "doses_wasted",
        "vials_consumed",
        "balance",
    ]
    by_lot = {row["lot_number"]: row for row in table}
    assert (by_lot["BNT1"]["doses_given"], by_lot["BNT1"]["balance"]) == ("2", "2")

    reported = sum(r["doses_given"] for r in monday) + sum(int(r["doses_given"]) for r in table)
    with session_factory() as session:
        assert reported == session.scalar(select(func.count()).select_from(Administration))
