"""Every refusal through HTTP is a problem+json with a stable code, and leaves no trace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from booking.models import EligiblePerson, Slot
from tests.conftest import auth
from tests.integration.booking.conftest import SITE_CODE, WEEK, Staff, booking, national_id
from vaxx import audit
from vaxx.auth.scopes import Scope

PERSON = national_id(1000001)
WALK_IN = {
    "vaccine_code": "CoV BNT",
    "patient": {"family_en": "Lin", "given_en": "Mei", "gender": "female"},
    "performer": {"name": "王美玲"},
    "person": {"id_type": "national-id", "id_value": PERSON, "birth_date": "1970-01-01"},
}  # fmt: skip
ADMINISTER = f"/booking/staff/sites/{SITE_CODE}/administrations"


@pytest.mark.parametrize(
    ("lot", "match"),
    [
        pytest.param("NOPE1", "not known", id="unknown-lot"),
        pytest.param("OLD1", "expired on 2026-11-20", id="expired-lot"),
        pytest.param("ELSEWHERE1", "never delivered", id="lot-not-at-this-site"),
    ],
)
def test_administration_with_an_unusable_lot_is_a_422(
    staff: Staff, stocked: dict[str, int], lot: str, match: str
) -> None:
    staff.stock(staff.lot("OLD1", expires_on="2026-11-20"), 1)
    staff.lot("ELSEWHERE1")
    problem = staff.call("POST", ADMINISTER, 422, json=WALK_IN | {"lot_number": lot})
    assert problem["code"] == "lot_unusable"
    assert match in problem["detail"]


def test_a_lot_used_up_is_refused(staff: Staff, clock) -> None:
    staff.site()
    staff.stock(staff.lot("TINY1", vials_total=1, doses_per_vial=1), 1)
    staff.call("POST", ADMINISTER, 201, json=WALK_IN | {"lot_number": "TINY1"})
    other = WALK_IN | {"person": WALK_IN["person"] | {"id_value": national_id(7)}}
    problem = staff.call("POST", ADMINISTER, 422, json=other | {"lot_number": "TINY1"})
    assert "no doses left" in problem["detail"]
    stock = staff.call("GET", f"/booking/staff/sites/{SITE_CODE}/stock", 200)
    assert (stock[0]["doses_given"], stock[0]["balance"]) == (1, 0)


def test_capacity_beyond_the_doses_is_refused(staff: Staff, stocked: dict[str, int]) -> None:
    body = {"day": "2026-11-25", "session": "morning", "vaccine_code": "CoV BNT", "capacity": 11}
    problem = staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/slots", 409, json=body)
    assert problem["code"] == "insufficient_stock"
    body["capacity"] = 10
    staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/slots", 201, json=body)


def test_wastage_may_not_strand_booked_capacity(staff: Staff, stocked: dict[str, int]) -> None:
    waste = {"vaccine_code": "CoV BNT", "lot_number": "FK8891", "doses": 11, "reason": "broken"}
    url = f"/booking/staff/sites/{SITE_CODE}/wastage"
    assert staff.call("POST", url, 409, json=waste)["code"] == "insufficient_stock"
    stock = staff.call("POST", url, 201, json=waste | {"doses": 10})
    assert (stock[0]["doses_wasted"], stock[0]["balance"]) == (10, 50)


def test_bad_eligibility_rows_are_all_reported_and_nothing_is_imported(
    staff: Staff, session_factory
) -> None:
    staff.eligible(PERSON)
    bad = f"national_id\n{national_id(1)}\nA123456788\n\n{national_id(1)}\n"
    url = f"/booking/staff/eligibility/1/{WEEK.isoformat()}"
    problem = staff.call(
        "PUT", url, 422, content=bad.encode(), headers={"Content-Type": "text/csv"}
    )
    assert problem["code"] == "eligibility_import_invalid"
    assert [e["line"] for e in problem["errors"]] == [3, 4, 5]
    assert "check digit" in problem["errors"][0]["error"]
    assert "repeats line 2" in problem["errors"][2]["error"]
    with session_factory() as session:
        assert list(session.scalars(select(EligiblePerson.person_id))) == [PERSON]


def test_eligibility_answers_and_booking_refusals(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    staff.eligible(PERSON)
    person = {"id_type": "national-id", "id_value": national_id(99), "birth_date": "1990-01-01"}
    answer = client.post(f"/booking/eligibility?slot_id={stocked['slot']}", json=person).json()
    assert answer["eligible"] is False
    assert answer["reasons"][0]["code"] == "not_listed"
    refused = client.post("/booking/appointments", json=booking(stocked["slot"], national_id(99)))
    assert (refused.status_code, refused.json()["code"]) == (409, "not_eligible")
    assert refused.headers["content-type"] == "application/problem+json"

    assert client.post("/booking/appointments", json=booking(stocked["slot"], PERSON)).is_success
    twice = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON))
    assert (twice.status_code, twice.json()["code"]) == (409, "duplicate_appointment")
    invalid = client.post("/booking/appointments", json=booking(stocked["slot"], "A123456788"))
    assert invalid.status_code == 422


def test_cancel_needs_the_birth_date_and_frees_the_place(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    staff.eligible(PERSON)
    made = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON)).json()
    wrong = {"reference": made["reference"], "birth_date": "1985-03-15"}
    assert client.post("/booking/appointments/cancel", json=wrong).status_code == 404
    right = wrong | {"birth_date": "1985-03-14"}
    cancelled = client.post("/booking/appointments/cancel", json=right).json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["slot"]["available"] == 50
    again = client.post("/booking/appointments/cancel", json=right)
    assert (again.status_code, again.json()["code"]) == (409, "invalid_status")
    rebooked = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON))
    assert rebooked.status_code == 201


def test_closing_a_session_marks_no_shows_and_releases_doses(
    client: TestClient, staff: Staff, stocked: dict[str, int], clock
) -> None:
    staff.eligible(PERSON)
    made = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON)).json()
    closed = staff.call("POST", f"/booking/staff/slots/{stocked['slot']}/close", 200)
    assert closed == {"no_shows": 1}
    lookup = {"reference": made["reference"], "birth_date": "1985-03-14"}
    assert client.post("/booking/appointments/lookup", json=lookup).json()["status"] == "no-show"
    body = {"day": "2026-11-25", "session": "morning", "vaccine_code": "CoV BNT", "capacity": 60}
    staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/slots", 201, json=body)


def test_staff_endpoints_need_the_booking_staff_scope(
    client: TestClient, make_token: Callable[..., str]
) -> None:
    assert client.post("/booking/staff/lots", json={}).status_code == 401
    verifier = auth(make_token(Scope.VERIFIER))
    assert client.post("/booking/staff/lots", json={}, headers=verifier).status_code == 403


def test_staff_actions_are_audited(staff: Staff, stocked: dict[str, int], session_factory) -> None:
    with session_factory() as session:
        actions = {event.action for event in audit.recent(session)}
    assert {"booking.site.create", "booking.lot.register", "booking.lot.allocate",
            "booking.stock.receive", "booking.slot.open"} <= actions  # fmt: skip


def test_the_database_refuses_overbooking_and_negative_stock(
    stocked: dict[str, int], session_factory
) -> None:
    with session_factory() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE booking_slots SET booked = capacity + 1"))
    with session_factory() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE booking_site_stock SET doses_given = doses_received + 1"))
    with session_factory() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE booking_dose_pools SET doses_reserved = doses_in + 1"))
    with session_factory() as session:
        assert session.scalars(select(Slot.booked)).one() == 0


def test_search_slots_and_fhir_views(
    client: TestClient, staff: Staff, stocked: dict[str, int], clock
) -> None:
    found = client.get(
        "/booking/slots?county=宜蘭縣&district=頭城鎮&session=morning&vaccine=CoV BNT"
    )
    assert [s["id"] for s in found.json()] == [stocked["slot"]]
    assert found.json()[0]["start"] == "2026-11-24T08:30:00+08:00"
    assert client.get("/booking/slots?county=Taipei City").json() == []
    assert client.get("/booking/slots?date_from=2026-11-25").json() == []
    assert client.get("/booking/slots?county=Atlantis").status_code == 422
    clock.now = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # the 25th in Taipei: slot is past
    assert client.get("/booking/slots").json() == []
    location = client.get(f"/booking/fhir/Location/{SITE_CODE}").json()
    assert location["resourceType"] == "Location"
    assert location["position"] == {"latitude": 24.86, "longitude": 121.82}
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    bundle = client.get("/booking/fhir/Slot?county=10002").json()
    assert bundle["entry"][0]["resource"]["status"] == "free"


def test_search_lists_a_sites_sessions_in_the_order_of_the_day(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    """Afternoons opened first still come after the morning (ids and names sort otherwise)."""
    opened = {
        (day, session): staff.call(
            "POST",
            f"/booking/staff/sites/{SITE_CODE}/slots",
            201,
            json={"day": day, "session": session, "vaccine_code": "CoV BNT", "capacity": 1},
        )["id"]
        for day, session in (
            ("2026-11-25", "afternoon"), ("2026-11-24", "afternoon"), ("2026-11-25", "morning")
        )
    }  # fmt: skip
    found = client.get(f"/booking/slots?site={SITE_CODE}")
    assert [s["id"] for s in found.json()] == [
        stocked["slot"],
        opened["2026-11-24", "afternoon"],
        opened["2026-11-25", "morning"],
        opened["2026-11-25", "afternoon"],
    ]
    assert client.get("/booking/slots?site=NO-SUCH-SITE").json() == []


def test_partner_and_kiosk_bookings_need_a_booking_agent_token(
    client: TestClient, staff: Staff, stocked: dict[str, int], make_token: Callable[..., str]
) -> None:
    staff.eligible(PERSON)
    body = booking(stocked["slot"], PERSON, channel="kiosk")
    assert client.post("/booking/appointments", json=body).status_code == 401
    verifier = auth(make_token(Scope.VERIFIER))
    assert client.post("/booking/appointments", json=body, headers=verifier).status_code == 403
    agent = auth(make_token(Scope.BOOKING_AGENT))
    made = client.post("/booking/appointments", json=body, headers=agent)
    assert (made.status_code, made.json()["channel"]) == (201, "kiosk")


def test_reschedule_takes_the_new_place_before_freeing_the_old(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    staff.eligible(PERSON, national_id(5))
    afternoon = {"day": "2026-11-24", "session": "afternoon", "vaccine_code": "CoV BNT"}
    full = staff.call(
        "POST", f"/booking/staff/sites/{SITE_CODE}/slots", 201, json=afternoon | {"capacity": 1}
    )["id"]
    assert client.post("/booking/appointments", json=booking(full, national_id(5))).is_success
    made = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON)).json()
    move = {"reference": made["reference"], "birth_date": "1985-03-14", "slot_id": full}
    refused = client.post("/booking/appointments/reschedule", json=move)
    assert (refused.status_code, refused.json()["code"]) == (409, "slot_full")
    staff.call("PATCH", f"/booking/staff/slots/{full}", 200, json={"capacity": 2})
    moved = client.post("/booking/appointments/reschedule", json=move).json()
    assert (moved["slot"]["id"], moved["slot"]["booked"]) == (full, 2)
    old = client.get("/booking/slots?session=morning").json()[0]
    assert old["booked"] == 0


def test_fhir_schedule_and_appointment_views(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    staff.eligible(PERSON)
    made = client.post("/booking/appointments", json=booking(stocked["slot"], PERSON)).json()
    schedules = client.get("/booking/fhir/Schedule").json()
    assert [e["resource"]["id"] for e in schedules["entry"]] == [f"{SITE_CODE}-CoV-BNT-public"]
    slot = client.get("/booking/fhir/Slot").json()["entry"][0]["resource"]
    assert slot["schedule"]["reference"] == f"Schedule/{SITE_CODE}-CoV-BNT-public"
    lookup = {"reference": made["reference"], "birth_date": "1985-03-14"}
    appointment = client.post("/booking/fhir/Appointment", json=lookup).json()
    assert appointment["status"] == "booked"
    assert appointment["slot"] == [{"reference": f"Slot/{stocked['slot']}"}]
    assert PERSON not in str(appointment)


def test_leftover_doses_appear_once_the_days_sessions_are_closed(
    client: TestClient, staff: Staff, clock
) -> None:
    staff.site()
    staff.stock(staff.lot(), 1)  # one vial of 6 BNT doses
    clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    slot = staff.slot(2)
    staff.call("POST", ADMINISTER, 201, json=WALK_IN | {"lot_number": "FK8891"})
    assert client.get("/booking/leftovers").json() == []  # today's session is still open
    staff.call("POST", f"/booking/staff/slots/{slot}/close", 200)
    leftovers = client.get("/booking/leftovers?county=宜蘭縣").json()
    assert [(x["site"]["code"], x["vaccine_code"], x["doses"]) for x in leftovers] == [
        (SITE_CODE, "CoV BNT", 5)
    ]
    assert client.get("/booking/leftovers?county=Taipei City").json() == []


def test_a_birth_date_that_contradicts_the_record_reveals_nothing(
    client: TestClient, staff: Staff, stocked: dict[str, int]
) -> None:
    staff.eligible(PERSON)
    staff.call("POST", ADMINISTER, 201, json=WALK_IN | {"lot_number": "FK8891"})
    probe = {"id_type": "national-id", "id_value": PERSON, "birth_date": "1999-09-09"}
    answer = client.post(f"/booking/eligibility?slot_id={stocked['slot']}", json=probe)
    assert (answer.status_code, answer.json()["reasons"][0]["code"]) == (409, "identity_mismatch")
    assert "dose" not in answer.json()["detail"]
    refused = client.post(
        "/booking/appointments", json=booking(stocked["slot"], PERSON, birth="1999-09-09")
    )
    assert refused.json()["reasons"] == answer.json()["reasons"]
    right = client.post(
        "/booking/appointments", json=booking(stocked["slot"], PERSON, "1970-01-01")
    )
    assert right.json()["reasons"][0]["code"] == "too_soon"  # the holder may learn why


def test_capacity_needs_doses_still_in_date_on_the_slots_day(staff: Staff) -> None:
    staff.site()
    staff.stock(staff.lot("SOON1", expires_on="2026-11-24"), 10)
    staff.slot(10)  # the 24th: the lot is still in date
    later = {"day": "2026-11-25", "session": "morning", "vaccine_code": "CoV BNT", "capacity": 5}
    problem = staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/slots", 409, json=later)
    assert "in date on 2026-11-25" in problem["detail"]
    staff.stock(staff.lot("LATER1", expires_on="2027-01-31"), 1)  # 6 more doses, in date
    staff.call("POST", f"/booking/staff/sites/{SITE_CODE}/slots", 201, json=later)
