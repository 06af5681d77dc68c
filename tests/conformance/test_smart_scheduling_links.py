"""The shared SMART Scheduling Links example feed, read as another publisher's feed.

The manifest lists Slot files for weeks 09 to 13 but only week 09 is in the shared
folder: the four others must be reported as unavailable while everything else imports.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from booking.availability import store
from booking.availability.models import ExternalLocation, ExternalSlot
from booking.smart_links import importer
from tests.conftest import MutableClock
from vaxx import db


@pytest.fixture
def example(shared_dir: Path) -> Path:
    return shared_dir / "conformance/smart-scheduling-links"


def _fetcher(folder: Path) -> importer.Fetch:
    def fetch(url: str) -> bytes:
        path = folder / url.rsplit("/", 1)[-1]
        if not path.is_file():
            raise importer.FileUnavailable("not in the shared example folder")
        return path.read_bytes()

    return fetch


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_example_feed_reads_with_every_reference_resolved(example: Path) -> None:
    feed = importer.read((example / "bulk-publish.json").read_bytes(), _fetcher(example))
    assert feed.as_of == datetime(2021, 4, 22, 14, 28, 21, 582000, tzinfo=UTC)
    assert len(feed.locations) == len(_lines(example / "locations.ndjson"))
    assert len(feed.slots) == len(_lines(example / "slots-2021-W09.ndjson"))
    missing = [p for p in feed.problems if "unavailable" in p]
    assert len(missing) == 4, feed.problems
    assert len(feed.problems) == 4, feed.problems
    boston = feed.locations["0"]
    assert (boston.city, boston.state, boston.phone) == ("Boston", "MA", "000-000-0000")
    first = next(slot for slot in feed.slots if slot.id == "20")
    assert first.location_id == "0"
    assert first.capacity == 100
    assert first.status == "free"
    assert first.vaccine == "Moderna COVID-19 Vaccine"
    assert first.booking_url == "https://ehr-portal.example.org/bookings?slot=1000000"


def test_example_feed_is_stored_with_its_source_and_times(
    example: Path, session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    feed = importer.read((example / "bulk-publish.json").read_bytes(), _fetcher(example))
    with db.transaction(session_factory) as session:
        owner = store.source(session, "smart-example", kind="smart-feed", now=clock.now)
        kept = store.replace(session, owner, feed, now=clock.now)
        store.replace(session, owner, feed, now=clock.now)  # a second pull replaces, not adds
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(ExternalSlot)) == kept
        assert session.scalar(select(func.count()).select_from(ExternalLocation)) == len(
            _lines(example / "locations.ndjson")
        )
        row = session.scalars(select(ExternalSlot).where(ExternalSlot.external_id == "20")).one()
        assert row.as_of == feed.as_of
        assert row.received_at == clock.now


def test_broken_lines_are_reported_and_skipped(example: Path) -> None:
    slots = (example / "slots-2021-W09.ndjson").read_bytes()
    files = {
        "l": (example / "locations.ndjson").read_bytes(),
        "s": (example / "schedules.ndjson").read_bytes(),
        "x": slots.rstrip(b"\n")
        + b"\n"
        + b'{"resourceType":"Slot","id":"orphan","schedule":{"reference":"Schedule/nope"},'
        b'"status":"free","start":"2021-03-01T14:00:00Z","end":"2021-03-01T15:00:00Z"}\n'
        b"not json\n",
    }
    manifest = json.dumps(
        {
            "transactionTime": "2021-04-22T14:28:21Z",
            "output": [
                {"type": "Location", "url": "l"},
                {"type": "Schedule", "url": "s"},
                {"type": "Slot", "url": "x"},
            ],
        }
    ).encode()
    feed = importer.read(manifest, files.__getitem__)
    assert len(feed.slots) == len(slots.splitlines())
    assert any("orphan" in p for p in feed.problems)
    assert any("line" in p for p in feed.problems)


@pytest.mark.parametrize(
    "manifest",
    [b"[]", b"{}", b'{"transactionTime": "2021-04-22T14:28:21", "output": []}', b"\xff"],
    ids=["array", "empty", "naive-time", "not-utf8"],
)
def test_unusable_manifest_is_refused(manifest: bytes) -> None:
    with pytest.raises(importer.FeedInvalid, match="manifest"):
        importer.read(manifest, lambda url: b"")


def test_imported_feed_is_open_data_and_turns_stale(
    example: Path, client: TestClient, session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    feed = importer.read((example / "bulk-publish.json").read_bytes(), _fetcher(example))
    clock.now = datetime(2021, 3, 1, 0, 0, tzinfo=UTC)  # before the week's slots
    with db.transaction(session_factory) as session:
        owner = store.source(session, "smart-example", kind="smart-feed", now=clock.now)
        store.replace(session, owner, feed, now=clock.now)
    rows = client.get("/open-data/availability", params={"date": "2021-03-01"}).json()
    assert rows
    assert {row["source"] for row in rows} == {"smart-example"}
    assert not any(row["stale"] for row in rows)
    boston = [row for row in rows if row["site_id"] == "0"]
    assert boston[0]["county_name"] == "Boston"
    assert boston[0]["capacity"] == 100
    clock.now += timedelta(hours=2)
    later = client.get("/open-data/availability", params={"date": "2021-03-01"}).json()
    assert all(row["stale"] for row in later)
