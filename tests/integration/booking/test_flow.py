"""A dose through the API: stock -> slot -> eligibility -> appointment -> check-in ->
administration -> Immunization Bundle -> nightly report, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from tests.integration.booking.conftest import SITE_CODE, Staff, booking, national_id

PERSON = national_id(2345678)
PATIENT = {
    "family_en": "Chen",
    "given_en": "Hsiao-Ming",
    "family_zh": "陳",
    "given_zh": "小明",
    "gender": "male",
}


def _administer(staff: Staff, reference: str, lot: str = "FK8891", expect: int = 201) -> dict:
    body = {
        "vaccine_code": "CoV BNT",
        "lot_number": lot,
        "appointment_reference": reference,
        "patient": PATIENT,
        "performer": {"name": "王美玲", "licence": "N123"},
    }
    return dict(
        staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/administrations", expect, json=body)
    )


def test_a_dose_flows_from_stock_to_immunization_bundle(
    client: TestClient, staff: Staff, stocked: dict[str, int], clock
) -> None:
    staff.eligible(PERSON)
    booked = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON))
    assert booked.status_code == 201, booked.text
    reference = booked.json()["reference"]
    assert booked.json()["person"] == "A12****789"
    assert booked.json()["slot"]["available"] == 49

    clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Taipei, the slot's day
    staff.call("POST", f"/booking/staff/appointments/{reference}/check-in", 200)
    given = _administer(staff, reference)

    assert (given["dose_number"], given["series_doses"]) == (1, 2)
    resources = {e["resource"]["resourceType"]: e for e in given["bundle"]["entry"]}
    immunization = resources["Immunization"]["resource"]
    assert immunization["lotNumber"] == "FK8891"
    assert immunization["occurrenceDateTime"] == "2026-11-24"
    assert immunization["patient"]["reference"] == resources["Patient"]["fullUrl"]
    assert immunization["location"]["reference"] == resources["Organization"]["fullUrl"]
    assert resources["Patient"]["resource"]["identifier"][0]["value"] == PERSON

    stock = staff.call("GET", f"/booking/staff/sites/{SITE_CODE}/stock", 200)
    assert (stock[0]["doses_given"], stock[0]["balance"]) == (1, 59)
    report = staff.call("GET", "/booking/staff/reports/daily?date=2026-11-24", 200)
    assert report[0] | {"balance": 59, "doses_given": 1, "vials_consumed": 1} == report[0]
    lookup = client.post(
        "/booking/appointments/lookup", json={"reference": reference, "birth_date": "1985-03-14"}
    )
    assert lookup.json()["status"] == "administered"


def test_second_dose_number_comes_from_history_and_too_soon_is_refused(
    client: TestClient, staff: Staff, stocked: dict[str, int], clock
) -> None:
    walk_in = {
        "vaccine_code": "CoV BNT",
        "lot_number": "fk8891",
        "patient": PATIENT,
        "performer": {"name": "王美玲"},
        "person": {"id_type": "national-id", "id_value": PERSON, "birth_date": "1985-03-14"},
    }
    url = f"/booking/staff/sites/{SITE_CODE}/administrations"
    staff.call("PATCH", f"/booking/staff/slots/{stocked['slot']}", 200, json={"capacity": 60})
    refused = staff.call("POST", url, 409, json=walk_in)
    assert refused["code"] == "insufficient_stock"  # every dose is reserved by the open slot
    staff.call("PATCH", f"/booking/staff/slots/{stocked['slot']}", 200, json={"capacity": 40})
    assert staff.call("POST", url, 201, json=walk_in)["dose_number"] == 1
    refused = staff.call("POST", url, 409, json=walk_in)
    assert refused["code"] == "not_eligible"
    assert refused["reasons"][0]["code"] == "too_soon"
    clock.now = datetime(2026, 12, 20, 1, 0, tzinfo=UTC)
    history = staff.call("GET", f"/booking/staff/persons/national-id/{PERSON}/immunizations", 200)
    assert history["total"] == 1
    assert staff.call("POST", url, 201, json=walk_in)["dose_number"] == 2
