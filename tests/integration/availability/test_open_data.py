"""Open data: filters, JSON and CSV, ETag/304, per-county aggregates, documented fields."""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from booking import demo, slots
from booking.availability.schemas import AvailabilityRow, DosesRow, LeftoverRow
from booking.models import Slot
from tests.conftest import MutableClock
from tests.integration.availability.conftest import BASE
from vaxx import db

URL = "/open-data/availability"


def _rows(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_vaxx_session_is_listed_with_its_places(
    client: TestClient, demo_data: demo.Summary
) -> None:
    rows = _rows(client, limit=5000)
    assert len(rows) == demo_data.slots
    assert {row["source"] for row in rows} == {"vaxx"}
    assert {row["stale"] for row in rows} == {False}
    api = {row["id"]: row for row in client.get("/booking/slots?limit=500").json()}
    for row in rows:
        number = int(row["booking_url"].rsplit("=", 1)[1]) if row["booking_url"] else None
        if number in api:
            assert row["available"] == api[number]["available"]
            assert row["booked"] == api[number]["booked"]
    assert all(row["booking_url"].startswith(f"{BASE}/book?slot=") for row in rows)


def test_a_limit_keeps_the_soonest_sessions(client: TestClient, demo_data: demo.Summary) -> None:
    """The limit cuts in time order: the morning is never dropped for the afternoon (the
    session names alone sort afternoon first)."""
    everything = _rows(client, limit=5000)
    assert [row["session"] for row in everything[:2]] == ["morning", "morning"]
    for limit in range(1, 40):
        assert _rows(client, limit=limit) == everything[:limit], limit


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"county": "宜蘭縣"}, lambda r: r["county_code"] == "10002"),
        ({"county": "Taipei City", "session": "morning"}, lambda r: r["session"] == "morning"),
        ({"vaccine": "CoV Novavax", "funding": "self-paid"}, lambda r: r["capacity"] == 30),
        ({"date": "2026-11-24"}, lambda r: r["date"] == "2026-11-24"),
        ({"district": "大安區"}, lambda r: r["district"] == "大安區"),
    ],
    ids=["county-zh", "county-en-session", "self-paid-product", "date", "district"],
)
def test_filters_narrow_the_list(
    client: TestClient, demo_data: demo.Summary, params: dict[str, str], check: Any
) -> None:
    everything = _rows(client, limit=5000)
    rows = _rows(client, **params)
    assert 0 < len(rows) < len(everything)
    assert all(check(row) for row in rows)


def test_site_filter_returns_that_site_only(client: TestClient, demo_data: demo.Summary) -> None:
    code = _rows(client)[0]["site_id"]
    rows = _rows(client, site=code)
    assert {row["site_id"] for row in rows} == {code}
    assert len(rows) == 14  # morning and afternoon for 7 days (site 2 also has self-paid)


@pytest.mark.parametrize(
    "how", [{"params": {"format": "csv"}}, {"headers": {"Accept": "text/csv"}}], ids=["q", "accept"]
)
def test_csv_holds_the_same_rows_as_json(
    client: TestClient, demo_data: demo.Summary, how: dict[str, Any]
) -> None:
    response = client.get(URL, **how)
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == list(AvailabilityRow.model_fields)
    rows = _rows(client)
    assert len(table) == len(rows)
    assert table[0]["site_name"] == rows[0]["site_name"]
    assert int(table[0]["available"]) == rows[0]["available"]
    assert table[0]["stale"] == "false"


def test_etag_gives_304_until_the_data_changes(
    client: TestClient,
    demo_data: demo.Summary,
    session_factory: sessionmaker[Session],
    clock: MutableClock,
) -> None:
    first = client.get(URL)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert client.get(URL, headers={"If-None-Match": tag}).status_code == 304
    with db.transaction(session_factory) as session:
        row = session.scalars(select(Slot).where(Slot.booked == 0).order_by(Slot.id)).first()
        assert row is not None
        slots.resize(session, row, row.capacity - 1, now=clock.now, actor="test")
    changed = client.get(URL, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag


def test_doses_per_county_per_day_add_up(client: TestClient, demo_data: demo.Summary) -> None:
    rows = client.get(
        "/open-data/doses", params={"date_from": "2026-11-23", "date_to": "2026-11-29"}
    )
    assert rows.status_code == 200, rows.text
    doses = rows.json()
    sessions = _rows(client, limit=5000)
    capacity: Counter[tuple[str, str]] = Counter()
    booked: Counter[tuple[str, str]] = Counter()
    for row in sessions:
        capacity[(row["date"], row["county_code"])] += row["capacity"]
        booked[(row["date"], row["county_code"])] += row["booked"]
    assert {(r["date"], r["county_code"]): r["allocated"] for r in doses} == dict(capacity)
    assert {(r["date"], r["county_code"]): r["booked"] for r in doses} == dict(booked)
    assert sum(r["given"] for r in doses) == demo_data.doses
    assert sum(booked.values()) >= demo_data.appointments
    csv_text = client.get("/open-data/doses?format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(DosesRow.model_fields)


def test_leftovers_are_open_data_too(client: TestClient, demo_data: demo.Summary) -> None:
    response = client.get("/open-data/leftovers", params={"format": "csv"})
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(LeftoverRow.model_fields)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (URL, {"county": "Atlantis"}),
        (URL, {"format": "xml"}),
        (URL, {"session": "night"}),
        ("/open-data/doses", {"date_from": "2026-01-01", "date_to": "2026-11-23"}),
        ("/open-data/doses", {"date_from": "2026-11-24", "date_to": "2026-11-23"}),
    ],
    ids=["county", "format", "session", "range-too-long", "range-reversed"],
)
def test_bad_queries_get_problem_json(client: TestClient, url: str, params: dict[str, str]) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_every_open_data_field_is_documented(app: FastAPI) -> None:
    schemas = app.openapi()["components"]["schemas"]
    for name in ("AvailabilityRow", "DosesRow", "LeftoverRow"):
        for field, spec in schemas[name]["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"
