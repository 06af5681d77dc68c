"""Partner ingestion: an availability-source client pushes its sessions; they appear in open
data with their source and time, and turn stale when the partner stops updating."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import MutableClock, auth
from vaxx.auth.scopes import Scope

PUSH = "/availability/partner"


def _push(clock: MutableClock, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "as_of": (clock.now - timedelta(minutes=5)).isoformat(),
        "locations": [
            {
                "id": "ward-7",
                "name": "臺大醫院 疫苗門診",
                "county": "臺北市",
                "district": "中正區",
                "address": "臺北市中正區中山南路7號",
                "phone": "02-23123456",
            }
        ],
        "slots": [
            {
                "id": "s1",
                "location_id": "ward-7",
                "vaccine": "CoV BNT",
                "funding": "public",
                "start": "2026-11-24T09:00:00+08:00",
                "end": "2026-11-24T12:00:00+08:00",
                "capacity": 40,
                "available": 15,
                "booking_url": "https://reg.ntuh.example/book?s=1",
            },
            {
                "id": "s2",
                "location_id": "ward-7",
                "vaccine": "CoV BNT",
                "start": "2026-11-24T18:30:00+08:00",
                "end": "2026-11-24T20:30:00+08:00",
                "capacity": 10,
                "available": 0,
            },
        ],
    }
    return body | overrides


@pytest.fixture
def partner(make_token: Callable[..., str]) -> dict[str, str]:
    return auth(make_token(Scope.AVAILABILITY_SOURCE, name="NTUH"))


def test_pushed_sessions_are_open_data_with_source_and_staleness(
    client: TestClient, partner: dict[str, str], clock: MutableClock
) -> None:
    receipt = client.put(PUSH, json=_push(clock), headers=partner)
    assert receipt.status_code == 200, receipt.text
    assert receipt.json()["source"] == "NTUH"
    assert receipt.json()["slots"] == 3  # s1 free + s1 busy + s2 busy
    assert receipt.json()["stale"] is False
    rows = client.get("/open-data/availability", params={"county": "63000"}).json()
    assert [(r["session"], r["capacity"], r["available"], r["status"]) for r in rows] == [
        ("morning", 40, 15, "open"),
        ("evening", 10, 0, "full"),
    ]
    assert rows[0]["source"] == "NTUH"
    assert rows[0]["booking_url"] == "https://reg.ntuh.example/book?s=1"
    assert rows[0]["funding"] == "public"
    assert rows[1]["funding"] is None
    assert not any(r["stale"] for r in rows)
    clock.now += timedelta(hours=2)
    later = client.get("/open-data/availability", params={"county": "63000"}).json()
    assert all(r["stale"] for r in later)
    only_open = client.get("/open-data/availability", params={"available_only": "true"}).json()
    assert [r["available"] for r in only_open] == [15]


def test_a_new_push_replaces_the_previous_one(
    client: TestClient, partner: dict[str, str], clock: MutableClock
) -> None:
    client.put(PUSH, json=_push(clock), headers=partner)
    body = _push(clock)
    body["slots"] = body["slots"][:1]
    assert client.put(PUSH, json=body, headers=partner).status_code == 200
    rows = client.get("/open-data/availability").json()
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["slots"][0].update(location_id="elsewhere"), "no location"),
        (lambda b: b["slots"][0].update(available=41), "more places available"),
        (lambda b: b["slots"][1].update(id="s1"), "appears twice"),
        (lambda b: b["slots"][0].update(end="2026-11-24T08:00:00+08:00"), "ends before"),
        (lambda b: b.update(as_of="2099-01-01T00:00:00+00:00"), "future"),
        (lambda b: b.update(as_of="2026-11-23T08:00:00"), "timezone"),
    ],
    ids=["unknown-location", "over-capacity", "duplicate", "reversed", "future", "naive"],
)
def test_bad_push_is_refused_and_changes_nothing(
    client: TestClient,
    partner: dict[str, str],
    clock: MutableClock,
    change: Callable[[dict[str, Any]], None],
    message: str,
) -> None:
    assert client.put(PUSH, json=_push(clock), headers=partner).status_code == 200
    before = client.get("/open-data/availability").json()
    body = _push(clock)
    change(body)
    response = client.put(PUSH, json=body, headers=partner)
    assert response.status_code == 422
    assert message in response.text
    assert client.get("/open-data/availability").json() == before


def test_push_needs_the_availability_source_scope(
    client: TestClient, make_token: Callable[..., str], clock: MutableClock
) -> None:
    assert client.put(PUSH, json=_push(clock)).status_code == 401
    other = auth(make_token(Scope.BOOKING_AGENT))
    assert client.put(PUSH, json=_push(clock), headers=other).status_code == 403
