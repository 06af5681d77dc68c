"""The clinic quick-update endpoints (mark full, leftover announcements, a site's sessions,
who am I) and the public single-slot read the booking page uses: each change shows in the
open data at once, each is audited, and only the site's own staff may make it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from booking import demo
from booking import slots as slots_module
from booking.errors import BookingInputError
from tests.conftest import auth
from tests.integration.booking.conftest import SITE_CODE, Staff, booking, national_id
from vaxx import audit, db
from vaxx.auth.models import ApiClient
from vaxx.auth.scopes import Scope

OTHER_SITE = "0131060029"


def _nurse(
    client: TestClient,
    staff: Staff,
    make_token: Callable[..., str],
    session_factory: Any,
    name: str,
    site: str | None,
) -> dict[str, str]:
    token = make_token(Scope.SITE_STAFF, name=name)
    with session_factory() as session:
        client_id = session.scalars(select(ApiClient.id).where(ApiClient.name == name)).one()
    if site is not None:
        binding = {"client_id": client_id, "site_code": site}
        staff.call("PUT", "/booking/staff/bindings", 200, json=binding)
    return auth(token)


@pytest.fixture
def nurse(
    client: TestClient, staff: Staff, make_token: Callable[..., str], session_factory: Any
) -> dict[str, str]:
    return _nurse(client, staff, make_token, session_factory, "Toucheng nurse", SITE_CODE)


def _row(client: TestClient, slot: int) -> dict[str, Any]:
    rows = client.get("/open-data/availability", params={"site": SITE_CODE}).json()
    wanted = client.get(f"/booking/slots/{slot}").json()
    found = [r for r in rows if r["date"] == wanted["day"] and r["session"] == wanted["session"]]
    assert len(found) == 1, rows
    return dict(found[0])


def _actions(session_factory: Any) -> list[str]:
    with session_factory() as session:
        return [event.action for event in audit.recent(session)]


def test_mark_full_stops_bookings_and_shows_in_open_data(
    client: TestClient,
    staff: Staff,
    stocked: dict[str, int],
    nurse: dict[str, str],
    session_factory,
) -> None:
    slot = stocked["slot"]
    people = [national_id(n) for n in (11, 12, 13)]
    staff.eligible(*people)
    for person in people[:2]:
        assert client.post("/booking/appointments", json=booking(slot, person)).status_code == 201

    marked = client.post(f"/booking/staff/slots/{slot}/full", headers=nurse)
    assert marked.status_code == 200, marked.text
    assert marked.json() | {"capacity": 2, "booked": 2, "available": 0} == marked.json()
    row = _row(client, slot)
    assert (row["status"], row["available"], row["capacity"], row["booking_url"]) == (
        "full",
        0,
        2,
        None,
    )
    refused = client.post("/booking/appointments", json=booking(slot, people[2]))
    assert refused.status_code == 409
    assert refused.json()["code"] == "slot_full"
    again = client.post(f"/booking/staff/slots/{slot}/full", headers=nurse)
    assert again.status_code == 200
    assert again.json()["capacity"] == 2
    assert "booking.slot.mark-full" in _actions(session_factory)

    grown = client.patch(f"/booking/staff/slots/{slot}", json={"capacity": 3}, headers=nurse)
    assert grown.status_code == 200, grown.text
    row = _row(client, slot)
    assert (row["status"], row["available"], row["capacity"]) == ("open", 1, 3)
    assert row["booking_url"].endswith(f"/book?slot={slot}")


def test_closed_session_cannot_be_marked_full(
    client: TestClient, stocked: dict[str, int], nurse: dict[str, str]
) -> None:
    slot = stocked["slot"]
    assert client.post(f"/booking/staff/slots/{slot}/close", headers=nurse).status_code == 200
    refused = client.post(f"/booking/staff/slots/{slot}/full", headers=nurse)
    assert refused.status_code == 409
    assert refused.json()["code"] == "slot_closed"
    assert client.get(f"/booking/slots/{slot}").json()["closed"] is True


def test_leftover_announcement_is_published_and_withdrawn(
    client: TestClient, stocked: dict[str, int], nurse: dict[str, str], session_factory
) -> None:
    url = f"/booking/staff/sites/{SITE_CODE}/leftovers"
    made = client.put(url, json={"vaccine_code": "CoV BNT", "doses": 4}, headers=nurse)
    assert made.status_code == 200, made.text
    assert made.json()["doses"] == 4
    assert made.json()["day"] == "2026-11-23"
    published = client.get("/open-data/leftovers", params={"county": "宜蘭縣"}).json()
    assert [(r["site_id"], r["vaccine"], r["funding"], r["doses"]) for r in published] == [
        (SITE_CODE, "CoV BNT", "public", 4)
    ]
    assert client.get("/booking/leftovers").json()[0]["doses"] == 4

    changed = client.put(url, json={"vaccine_code": "CoV BNT", "doses": 2}, headers=nurse)
    assert changed.json()["doses"] == 2
    assert client.get("/open-data/leftovers").json()[0]["doses"] == 2
    gone = client.put(url, json={"vaccine_code": "CoV BNT", "doses": 0}, headers=nurse)
    assert gone.status_code == 200
    assert client.get("/open-data/leftovers").json() == []
    assert _actions(session_factory).count("booking.leftovers.announce") == 3

    too_many = client.put(url, json={"vaccine_code": "CoV BNT", "doses": 61}, headers=nurse)
    assert too_many.status_code == 409
    assert too_many.json()["code"] == "insufficient_stock"
    none_held = client.put(url, json={"vaccine_code": "CoV AZ", "doses": 1}, headers=nurse)
    assert none_held.status_code == 409


def test_site_sessions_and_profile(
    client: TestClient, stocked: dict[str, int], nurse: dict[str, str]
) -> None:
    me = client.get("/booking/staff/me", headers=nurse)
    assert me.status_code == 200
    assert me.json()["national"] is False
    assert [site["code"] for site in me.json()["sites"]] == [SITE_CODE]
    listed = client.get(f"/booking/staff/sites/{SITE_CODE}/slots", headers=nurse)
    assert [s["id"] for s in listed.json()] == [stocked["slot"]]
    client.post(f"/booking/staff/slots/{stocked['slot']}/close", headers=nurse)
    closed = client.get(f"/booking/staff/sites/{SITE_CODE}/slots", headers=nurse).json()
    assert [s["closed"] for s in closed] == [True]
    later = client.get(
        f"/booking/staff/sites/{SITE_CODE}/slots", params={"date_from": "2026-11-25"}, headers=nurse
    )
    assert later.json() == []


def test_public_slot_read(client: TestClient, stocked: dict[str, int]) -> None:
    found = client.get(f"/booking/slots/{stocked['slot']}")
    assert found.status_code == 200
    assert found.json()["available"] == 50
    missing = client.get("/booking/slots/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "slot_not_found"
    assert client.get("/booking/slots/abc").status_code == 422


def test_quick_update_needs_the_site_staff_of_that_site(
    client: TestClient,
    staff: Staff,
    stocked: dict[str, int],
    make_token: Callable[..., str],
    session_factory,
) -> None:
    staff.site(OTHER_SITE, county="臺北市", district="中正區")
    elsewhere = _nurse(client, staff, make_token, session_factory, "Taipei nurse", OTHER_SITE)
    unbound = _nurse(client, staff, make_token, session_factory, "new nurse", None)
    verifier = auth(make_token(Scope.VERIFIER, name="verifier app"))
    slot = stocked["slot"]
    calls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/booking/staff/sites/{SITE_CODE}/slots", None),
        ("POST", f"/booking/staff/slots/{slot}/full", None),
        (
            "PUT",
            f"/booking/staff/sites/{SITE_CODE}/leftovers",
            {"vaccine_code": "CoV BNT", "doses": 1},
        ),
    ]
    for method, url, body in calls:
        assert client.request(method, url, json=body).status_code == 401, url
        assert client.request(method, url, json=body, headers=verifier).status_code == 403, url
        answer = client.request(method, url, json=body, headers=elsewhere)
        assert answer.status_code == 403, url
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert client.request(method, url, json=body, headers=unbound).status_code == 403, url
    assert client.get("/booking/staff/me").status_code == 401
    assert client.get("/booking/staff/me", headers=verifier).status_code == 403
    assert client.get("/booking/staff/me", headers=unbound).json()["sites"] == []
    assert client.get(f"/booking/slots/{slot}").json()["capacity"] == 50


@pytest.mark.parametrize(
    "body",
    [
        {"vaccine_code": "CoV BNT", "doses": -1},
        {"vaccine_code": "CoV BNT", "doses": 1001},
        {"vaccine_code": "Sputnik", "doses": 1},
        {"vaccine_code": "CoV BNT", "doses": 1, "funding": "free"},
        {"vaccine_code": "CoV BNT", "doses": 1, "extra": True},
        {"doses": 1},
    ],
)
def test_bad_leftover_input_is_422(
    client: TestClient, stocked: dict[str, int], nurse: dict[str, str], body: dict[str, Any]
) -> None:
    answer = client.put(f"/booking/staff/sites/{SITE_CODE}/leftovers", json=body, headers=nurse)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "invalid_input"


def test_bad_session_listing_input_is_422(
    client: TestClient, stocked: dict[str, int], nurse: dict[str, str]
) -> None:
    url = f"/booking/staff/sites/{SITE_CODE}/slots"
    backwards = client.get(
        url, params={"date_from": "2026-11-25", "date_to": "2026-11-24"}, headers=nurse
    )
    assert backwards.status_code == 422
    assert backwards.json()["code"] == "booking_invalid"
    assert client.get(url, params={"date_from": "soon"}, headers=nurse).status_code == 422
    assert client.post("/booking/staff/slots/x/full", headers=nurse).status_code == 422
    assert client.get("/booking/staff/sites/0000000000/slots", headers=nurse).status_code == 404


def test_an_announcement_replaces_the_computed_leftovers(
    client: TestClient, staff: Staff, session_factory: Any, clock: Any
) -> None:
    """The demo gave 6 doses of a 10-dose vial at its first site today: once that site's
    sessions of the day are closed, 4 doses show as leftovers; what staff announce wins."""
    with db.transaction(session_factory) as session:
        demo.load(session, clock())
    site = "0901000001"
    today = client.get(
        f"/booking/staff/sites/{site}/slots",
        params={"date_to": "2026-11-23"},
        headers=staff.headers,
    ).json()
    assert len(today) == 2
    for slot in today:
        staff.call("POST", f"/booking/staff/slots/{slot['id']}/close", 200)

    def published() -> list[tuple[str, str, int]]:
        rows = client.get("/open-data/leftovers", params={"county": "臺北市"}).json()
        return [(r["site_id"], r["vaccine"], r["doses"]) for r in rows]

    assert published() == [(site, "CoV Moderna", 4)]
    url = f"/booking/staff/sites/{site}/leftovers"
    staff.call("PUT", url, 200, json={"vaccine_code": "CoV Moderna", "doses": 7})
    assert published() == [(site, "CoV Moderna", 7)]
    staff.call("PUT", url, 200, json={"vaccine_code": "CoV Moderna", "doses": 0})
    assert published() == []


def test_mark_full_reads_again_when_a_booking_lands_meanwhile(
    client: TestClient,
    stocked: dict[str, int],
    nurse: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The resize to "booked" is refused when a booking landed after the count was read;
    mark-full then reads again, and gives up with 409 slot_busy if bookings keep landing."""
    real = slots_module.resize
    calls: list[int] = []

    def raced_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise BookingInputError("a booking landed")
        return real(*args, **kwargs)

    monkeypatch.setattr(slots_module, "resize", raced_once)
    marked = client.post(f"/booking/staff/slots/{stocked['slot']}/full", headers=nurse)
    assert marked.status_code == 200, marked.text
    assert (marked.json()["capacity"], len(calls)) == (0, 2)

    second = client.post(
        f"/booking/staff/sites/{SITE_CODE}/slots",
        json={
            "day": "2026-11-24",
            "session": "afternoon",
            "vaccine_code": "CoV BNT",
            "capacity": 5,
        },
        headers=nurse,
    )
    assert second.status_code == 201, second.text

    def always_raced(*args: Any, **kwargs: Any) -> Any:
        raise BookingInputError("a booking landed")

    monkeypatch.setattr(slots_module, "resize", always_raced)
    busy = client.post(f"/booking/staff/slots/{second.json()['id']}/full", headers=nurse)
    assert busy.status_code == 409
    assert busy.json()["code"] == "slot_busy"
    assert client.get(f"/booking/slots/{second.json()['id']}").json()["capacity"] == 5
