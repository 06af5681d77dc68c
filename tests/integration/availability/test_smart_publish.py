"""vaxx's SMART Scheduling Links feed: manifest, every NDJSON line, references, capacity,
deep links, ETag/304, incremental ``_since`` and the publisher advertisement."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from booking import demo, slots
from booking.models import Slot
from booking.smart_links.resources import CAPACITY, DEEP_LINK
from tests.conftest import MutableClock
from tests.integration.availability.conftest import BASE, ndjson_lines, path_of
from vaxx import db

ID = re.compile(r"[A-Za-z0-9._]{1,64}")


def _feed(client: TestClient, query: str = "") -> tuple[dict[str, Any], dict[str, list[Any]]]:
    response = client.get("/$bulk-publish" + query)
    assert response.status_code == 200, response.text
    manifest = response.json()
    files: dict[str, list[Any]] = {"Location": [], "Schedule": [], "Slot": []}
    for item in manifest["output"]:
        files[item["type"]].extend(ndjson_lines(client, item["url"]))
    return manifest, files


def _extension(resource: dict[str, Any], url: str) -> Any:
    values = [e for e in resource.get("extension", []) if e["url"] == url]
    return values[0] if values else None


def test_manifest_lists_every_file_of_the_feed(client: TestClient, demo_data: demo.Summary) -> None:
    manifest, _ = _feed(client)
    assert set(manifest) == {"transactionTime", "request", "output", "error"}
    assert manifest["request"] == f"{BASE}/$bulk-publish"
    assert datetime.fromisoformat(manifest["transactionTime"]) == datetime(
        2026, 11, 23, 9, 0, tzinfo=UTC
    )
    assert manifest["error"] == []
    types = [item["type"] for item in manifest["output"]]
    assert types[:2] == ["Location", "Schedule"]
    slot_files = [item for item in manifest["output"] if item["type"] == "Slot"]
    assert len(slot_files) == 4  # the demo's four counties
    for item in slot_files:
        assert item["url"].endswith(f"/slots-{item['extension']['state'][0]}.ndjson")


def test_every_line_is_a_valid_resource_and_references_resolve(
    client: TestClient, demo_data: demo.Summary
) -> None:
    _, files = _feed(client)
    locations = {item["id"]: item for item in files["Location"]}
    schedules = {item["id"]: item for item in files["Schedule"]}
    assert len(locations) == demo_data.sites
    for kind, items in files.items():
        assert all(item["resourceType"] == kind and ID.fullmatch(item["id"]) for item in items)
        assert len({item["id"] for item in items}) == len(items), f"duplicate {kind} ids"
    for location in locations.values():
        assert location["name"]
        assert location["address"]["line"]
        assert location["address"]["city"]
        assert {"system": "phone", "value": "02-23456789"} in location["telecom"]
    for schedule in schedules.values():
        assert schedule["serviceType"][0]["coding"][1]["code"] == "covid19-immunization"
        assert schedule["actor"][0]["reference"].removeprefix("Location/") in locations
    for slot in files["Slot"]:
        assert slot["schedule"]["reference"].removeprefix("Schedule/") in schedules
        assert slot["status"] in {"free", "busy"}
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert start.utcoffset() == timedelta(hours=8)
        assert start < end
        assert _extension(slot, CAPACITY)["valueInteger"] >= 1


def test_capacity_and_deep_links_match_the_booking_api(
    client: TestClient, demo_data: demo.Summary
) -> None:
    _, files = _feed(client)
    published: dict[str, dict[str, int]] = {}
    for slot in files["Slot"]:
        number, status = slot["id"].split(".")
        published.setdefault(number, {})[status] = _extension(slot, CAPACITY)["valueInteger"]
        link = _extension(slot, DEEP_LINK)
        if status == "free":
            assert link["valueUrl"] == f"{BASE}/book?slot={number}"
        else:
            assert link is None
    api = client.get("/booking/slots", params={"limit": 500, "vaccine": "CoV Moderna"}).json()
    assert api, "the demo has open Moderna slots"
    for row in api:
        counts = published[str(row["id"])]
        assert counts.get("free", 0) == row["available"]
        assert counts.get("busy", 0) == row["booked"]
    assert sum(1 for counts in published.values() if "busy" in counts) > 0


def test_unchanged_files_answer_304_to_their_etag(
    client: TestClient, demo_data: demo.Summary
) -> None:
    first = client.get("/smart-scheduling/locations.ndjson")
    assert "max-age=" in first.headers["cache-control"]
    again = client.get(
        "/smart-scheduling/locations.ndjson", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/smart-scheduling/locations.ndjson", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


def test_since_returns_only_what_changed(
    client: TestClient,
    demo_data: demo.Summary,
    session_factory: sessionmaker[Session],
    clock: MutableClock,
) -> None:
    _, before = _feed(client)  # first rendering records the ledger
    mark = clock.now
    clock.now = mark + timedelta(minutes=5)
    with db.transaction(session_factory) as session:
        row = session.scalars(select(Slot).where(Slot.booked == 0).order_by(Slot.id)).first()
        assert row is not None
        slots.resize(session, row, row.capacity - 1, now=clock.now, actor="test")
        changed_id = row.id
    manifest, files = _feed(client, "?" + "_since=" + mark.isoformat().replace("+", "%2B"))
    assert all("_since=" in item["url"] for item in manifest["output"])
    assert files["Location"] == []
    assert files["Schedule"] == []
    assert [slot["id"] for slot in files["Slot"]] == [f"{changed_id}.free"]
    assert _extension(files["Slot"][0], CAPACITY)["valueInteger"] == row.capacity
    assert len(before["Slot"]) > 1


def test_since_without_offset_is_refused(client: TestClient) -> None:
    response = client.get("/$bulk-publish", params={"_since": "2026-11-23T08:00:00"})
    assert response.status_code == 422
    assert response.json()["code"] == "availability_invalid"


def test_unknown_feed_file_is_404(client: TestClient) -> None:
    response = client.get("/smart-scheduling/slots-xyz.ndjson")
    assert response.status_code == 404
    assert response.json()["code"] == "feed_file_not_found"


@pytest.mark.usefixtures("demo_data")
def test_publisher_advertisement_is_valid_against_the_shared_schema(
    client: TestClient, shared_dir: Any
) -> None:
    schema = json.loads((shared_dir / "conformance/smart-scheduling-links/schema.json").read_text())
    advert = client.get("/smart-scheduling/publisher.json").json()
    jsonschema.Draft7Validator(schema).validate(advert)
    assert advert["url"] == f"{BASE}/$bulk-publish"
    assert client.get(path_of(advert["url"])).status_code == 200
    broken = advert | {"url": "http://insecure.example/$bulk-publish"}
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)
