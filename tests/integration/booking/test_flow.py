"""A dose through the API: stock -> slot -> eligibility -> appointment -> check-in ->
administration -> Immunization Bundle -> signed certificate -> nightly report, on SQLite
and PostgreSQL."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

import cbor2
import pytest
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


def _hc1_payload(hc1: str) -> dict:
    """Base45 -> zlib -> COSE_Sign1 -> CWT claim -260 (the DCC); the signature is the
    issuer's concern and is tested there."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    text, out = hc1.removeprefix("HC1:"), bytearray()
    for i in range(0, len(text), 3):
        chunk = [alphabet.index(c) for c in text[i : i + 3]]
        value = sum(v * 45**k for k, v in enumerate(chunk))
        out += value.to_bytes(2 if len(chunk) == 3 else 1, "big")
    sign1 = cbor2.loads(zlib.decompress(bytes(out)))
    claims = cbor2.loads(sign1.value[2])
    return dict(claims[-260][1])


@pytest.mark.usefixtures("issuer_keys")
def test_a_dose_flows_from_stock_to_signed_certificate(
    client: TestClient, staff: Staff, clock
) -> None:
    staff.site(issues_certificates=True)
    staff.stock(staff.lot(), 10)
    stocked = {"slot": staff.slot(50)}
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
    dcc = _hc1_payload(given["certificate"]["hc1"])
    assert dcc["v"][0] | {"dn": 1, "sd": 2, "mp": "EU/1/20/1528", "dt": "2026-11-24"} == dcc["v"][0]
    assert dcc["v"][0]["ci"] == given["certificate"]["uvci"]
    assert dcc["dob"] == "1985-03-14"

    stock = staff.call("GET", f"/booking/staff/sites/{SITE_CODE}/stock", 200)
    assert (stock[0]["doses_given"], stock[0]["balance"]) == (1, 59)
    report = staff.call("GET", "/booking/staff/reports/daily?date=2026-11-24", 200)
    assert report[0] | {"balance": 59, "doses_given": 1, "vials_consumed": 1} == report[0]
    lookup = client.post(
        "/booking/appointments/lookup", json={"reference": reference, "birth_date": "1985-03-14"}
    )
    assert lookup.json()["status"] == "administered"

    # The slip's claim code lets the person fetch the certificate into their wallet.
    claimed = client.post(
        "/wallet/api/claim", json={"code": given["claim_code"], "birth_date": "1985-03-14"}
    )
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["certificate_ids"] == [given["certificate"]["id"]]
    record = staff.call("GET", f"/booking/staff/persons/national-id/{PERSON}/immunizations", 200)
    assert given["claim_code"] not in str(record)


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


@pytest.mark.usefixtures("issuer_keys")
def test_a_site_without_instant_certificates_signs_later_on_request(
    staff: Staff, stocked: dict[str, int]
) -> None:
    walk_in = {
        "vaccine_code": "CoV BNT",
        "lot_number": "FK8891",
        "patient": PATIENT,
        "performer": {"name": "王美玲"},
        "person": {"id_type": "national-id", "id_value": PERSON, "birth_date": "1985-03-14"},
    }
    given = staff.call(
        "POST", f"/booking/staff/sites/{SITE_CODE}/administrations", 201, json=walk_in
    )
    assert given["certificate"] is None
    assert given["claim_code"] is None
    url = f"/booking/staff/administrations/{given['id']}/certificate"
    signed = staff.call("POST", url, 200)
    assert signed["claim_code"]
    assert _hc1_payload(signed["certificate"]["hc1"])["v"][0]["ci"] == signed["certificate"]["uvci"]
    assert staff.call("POST", url, 409)["code"] == "already_exists"


def test_doses_given_elsewhere_count_in_the_dose_number(
    staff: Staff, stocked: dict[str, int], clock
) -> None:
    earlier = {
        "id_type": "national-id",
        "id_value": PERSON,
        "birth_date": "1985-03-14",
        "vaccine_code": "COVID19AZ",
        "given_on": "115/08/02",
        "lot_number": "CTMAV501",
        "institution_code": "0131060029",
    }
    entered = staff.call("POST", "/booking/staff/persons/history", 201, json=earlier)
    assert (entered["occurrenceDateTime"], entered["primarySource"]) == ("2026-08-02", False)
    assert staff.call("POST", "/booking/staff/persons/history", 409, json=earlier)
    future = earlier | {"given_on": "2027-01-01"}
    assert (
        "future" in staff.call("POST", "/booking/staff/persons/history", 422, json=future)["detail"]
    )
    unknown = earlier | {"vaccine_code": "MMR"}
    staff.call("POST", "/booking/staff/persons/history", 422, json=unknown)

    walk_in = {
        "vaccine_code": "CoV BNT",
        "lot_number": "FK8891",
        "patient": PATIENT,
        "performer": {"name": "王美玲"},
        "person": {"id_type": "national-id", "id_value": PERSON, "birth_date": "1985-03-14"},
    }
    given = staff.call(
        "POST", f"/booking/staff/sites/{SITE_CODE}/administrations", 201, json=walk_in
    )
    assert (given["dose_number"], given["series_doses"]) == (2, 2)  # AZ in August, 16 weeks ago
    history = staff.call("GET", f"/booking/staff/persons/national-id/{PERSON}/immunizations", 200)
    assert history["total"] == 2
