"""The pure parts of availability: SMART resources, the feed reader's bounds, conditional GET,
CSV rendering and session derivation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from booking.availability import formats, http_cache
from booking.availability.errors import AvailabilityInputError
from booking.availability.open_data import session_of
from booking.availability.schemas import DosesRow
from booking.enums import Session as DaySession
from booking.models import Site, Slot
from booking.smart_links import importer, resources

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _site(phone: str | None = "02-23456789") -> Site:
    return Site(
        code="0901000002",
        name_zh="臺北市立聯合醫院仁愛院區",
        name_en="Taipei City Hospital Renai",
        type="hospital",
        county_code="63000",
        district="大安區",
        address="臺北市大安區仁愛路四段10號",
        latitude=25.037,
        longitude=121.545,
        phone=phone,
    )


def _slot(capacity: int = 20, booked: int = 5, closed: datetime | None = None) -> Slot:
    return Slot(
        id=7,
        day=date(2026, 11, 24),
        session="morning",
        vaccine_code="CoV Moderna",
        funding="self-paid",
        capacity=capacity,
        booked=booked,
        closed_at=closed,
    )


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("0901000002", "CoV Moderna", "self-paid"), "0901000002.CoV_Moderna.self_paid"),
        (("a/b c",), "a_b_c"),
        (("x" * 80,), "x" * 64),
    ],
    ids=["schedule", "punctuation", "too-long"],
)
def test_fhir_ids_follow_the_spec_alphabet(parts: tuple[str, ...], expected: str) -> None:
    assert resources.fhir_id(*parts) == expected


@pytest.mark.parametrize(
    ("slot", "expected"),
    [
        (_slot(20, 5), {"free": 15, "busy": 5}),
        (_slot(20, 0), {"free": 20}),
        (_slot(20, 20), {"busy": 20}),
        (_slot(20, 5, closed=NOW), {"busy": 20}),
    ],
    ids=["partly-booked", "empty", "full", "closed"],
)
def test_a_session_splits_into_free_and_busy_capacity(slot: Slot, expected: dict[str, int]) -> None:
    published = resources.slots(slot, _site(), "https://vaxx.example.tw/book")
    capacity = {
        item["status"]: next(
            e["valueInteger"] for e in item["extension"] if e["url"] == resources.CAPACITY
        )
        for item in published
    }
    assert capacity == expected
    for item in published:
        links = [e for e in item["extension"] if e["url"] == resources.DEEP_LINK]
        assert bool(links) == (item["status"] == "free")
    assert published[0]["start"] == "2026-11-24T08:30:00+08:00"


def test_location_without_phone_still_has_a_telecom() -> None:
    location = resources.location(_site(phone=None), "https://vaxx.example.tw/book?site=1")
    assert location["telecom"] == [
        {"system": "url", "value": "https://vaxx.example.tw/book?site=1"}
    ]
    assert location["address"]["state"] == "63000"
    assert location["address"]["city"] == "臺北市"


def _manifest(*files: tuple[str, str]) -> bytes:
    output = [{"type": kind, "url": url} for kind, url in files]
    return json.dumps({"transactionTime": "2026-11-23T09:00:00Z", "output": output}).encode()


def test_reader_rejects_an_oversized_manifest() -> None:
    with pytest.raises(importer.FeedInvalid, match="over"):
        importer.read(b" " * (importer.MAX_MANIFEST_BYTES + 1), lambda url: b"")


def test_reader_skips_overlong_lines_and_ids() -> None:
    long_line = json.dumps({"resourceType": "Location", "id": "a", "name": "x" * 70_000})
    long_id = json.dumps({"resourceType": "Location", "id": "i" * 65, "name": "n"})
    good = json.dumps({"resourceType": "Location", "id": "ok", "name": "n"})
    body = "\n".join([long_line, long_id, good]).encode()
    feed = importer.read(_manifest(("Location", "l")), lambda url: body)
    assert list(feed.locations) == ["ok"]
    assert len(feed.problems) == 2


def test_reader_ignores_output_types_it_does_not_use() -> None:
    fetched: list[str] = []
    feed = importer.read(_manifest(("Practitioner", "p")), lambda url: fetched.append(url) or b"")
    assert fetched == []
    assert feed.locations == {}


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"x", "abc"', True),
        ("*", True),
        ('"x"', False),
    ],
    ids=["none", "exact", "weak", "list", "star", "other"],
)
def test_if_none_match_comparison(header: str | None, matches: bool) -> None:
    assert http_cache._matches(header, '"abc"') is matches


@pytest.mark.parametrize(
    ("fmt", "accept", "csv"),
    [
        (None, None, False),
        ("csv", None, True),
        (None, "text/csv", True),
        ("json", "text/csv", False),
    ],
    ids=["default", "param", "accept", "param-wins"],
)
def test_format_choice(fmt: str | None, accept: str | None, csv: bool) -> None:
    assert formats.wants_csv(fmt, accept) is csv


def test_unknown_format_is_an_input_error() -> None:
    with pytest.raises(AvailabilityInputError, match="csv or json"):
        formats.wants_csv("xml", None)


def test_csv_has_a_bom_header_and_iso_dates() -> None:
    row = DosesRow(
        date=date(2026, 11, 23),
        county_code="63000",
        county_name="臺北市",
        county_name_en="Taipei City",
        allocated=40,
        booked=12,
        given=6,
    )
    text = formats.to_csv(DosesRow, [row]).decode()
    assert text.startswith("\ufeffdate,county_code,")
    assert "2026-11-23,63000,臺北市,Taipei City,40,12,6" in text


@pytest.mark.parametrize(
    ("local", "expected"),
    [("08:30", DaySession.MORNING), ("13:30", DaySession.AFTERNOON), ("18:00", DaySession.EVENING)],
)
def test_session_of_a_start_time_in_taipei(local: str, expected: DaySession) -> None:
    start = datetime.fromisoformat(f"2026-11-24T{local}:00+08:00")
    assert session_of(start.astimezone(UTC)) is expected
