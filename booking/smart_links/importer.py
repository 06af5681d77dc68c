"""Read another publisher's SMART Scheduling Links feed (pure: no database, no network).

The caller passes a ``fetch(url) -> bytes`` function, so the same code reads a live feed
(:mod:`booking.smart_links.fetch`) or files on disk. Every decoder is bounded: the manifest,
each file and each line have size limits, and a feed has a maximum number of resources.
A bad line or an unavailable file is reported in ``problems`` and skipped; the rest of the
feed is still imported (one broken Slot file must not hide every other location). Slots
are kept only when Slot -> Schedule -> Location resolves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from booking.availability.errors import FeedInvalid
from booking.smart_links.resources import CAPACITY, DEEP_LINK, VACCINE_PRODUCT

MAX_MANIFEST_BYTES = 1024 * 1024
MAX_LINE_BYTES = 64 * 1024
MAX_RESOURCES = 200_000
Fetch = Callable[[str], bytes]


class FileUnavailable(Exception):
    """Raised by a fetch function when a file cannot be had (404, network, too large)."""


@dataclass(frozen=True)
class FeedLocation:
    id: str
    name: str
    city: str | None
    state: str | None
    district: str | None
    address: str | None
    phone: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class FeedSlot:
    id: str
    location_id: str
    vaccine: str | None
    start: datetime
    end: datetime
    status: str
    capacity: int
    booking_url: str | None
    funding: str | None = None


@dataclass
class Feed:
    as_of: datetime
    locations: dict[str, FeedLocation] = field(default_factory=dict)
    slots: list[FeedSlot] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _instant(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{what} is missing")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{what} has no UTC offset")
    return parsed


def _manifest(raw: bytes) -> tuple[datetime, list[tuple[str, str]]]:
    if len(raw) > MAX_MANIFEST_BYTES:
        raise FeedInvalid(f"the manifest is over {MAX_MANIFEST_BYTES} bytes")
    try:
        body = json.loads(raw)
        as_of = _instant(body["transactionTime"], "transactionTime")
        files = [(str(item["type"]), str(item["url"])) for item in body["output"]]
    except (ValueError, KeyError, TypeError) as error:
        raise FeedInvalid(f"not a $bulk-publish manifest: {error}") from error
    return as_of, files


def _lines(raw: bytes, kind: str, url: str, problems: list[str]) -> list[dict[str, Any]]:
    found = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            if len(line) > MAX_LINE_BYTES:
                raise ValueError("line too long")
            item = json.loads(line)
            if not isinstance(item, dict) or item.get("resourceType") != kind:
                raise ValueError(f"not a {kind}")
            if not isinstance(item.get("id"), str) or not 0 < len(item["id"]) <= 64:
                raise ValueError("id must be a string of 1 to 64 characters")
        except ValueError as error:
            problems.append(f"{url} line {number}: {error}")
            continue
        found.append(item)
    return found


def _location(item: dict[str, Any]) -> FeedLocation:
    address = item.get("address") or {}
    phones = [t["value"] for t in item.get("telecom", []) if t.get("system") == "phone"]
    position = item.get("position") or {}
    return FeedLocation(
        id=item["id"],
        name=str(item["name"]),
        city=address.get("city"),
        state=address.get("state"),
        district=address.get("district"),
        address=", ".join(address.get("line", [])) or None,
        phone=phones[0] if phones else None,
        latitude=position.get("latitude"),
        longitude=position.get("longitude"),
    )


def _extension(item: dict[str, Any], url: str) -> dict[str, Any]:
    return next((e for e in item.get("extension", []) if e.get("url") == url), {})


def _vaccine(schedule: dict[str, Any]) -> str | None:
    coding = _extension(schedule, VACCINE_PRODUCT).get("valueCoding") or {}
    return coding.get("display") or coding.get("code")


def _slot(item: dict[str, Any], schedules: dict[str, dict[str, Any]]) -> FeedSlot:
    schedule = schedules[item["schedule"]["reference"].removeprefix("Schedule/")]
    location_id = schedule["actor"][0]["reference"].removeprefix("Location/")
    capacity = _extension(item, CAPACITY).get("valueInteger", 1)
    if item["status"] not in {"free", "busy"} or not isinstance(capacity, int) or capacity < 1:
        raise ValueError("status must be free or busy and capacity a positive integer")
    start, end = _instant(item.get("start"), "start"), _instant(item.get("end"), "end")
    return FeedSlot(
        id=item["id"],
        location_id=location_id,
        vaccine=_vaccine(schedule),
        start=start,
        end=end,
        status=item["status"],
        capacity=capacity,
        booking_url=_extension(item, DEEP_LINK).get("valueUrl"),
    )


def read(manifest: bytes, fetch: Fetch) -> Feed:
    """The feed behind ``manifest``; :class:`FeedInvalid` only when the manifest is unusable."""
    as_of, files = _manifest(manifest)
    feed = Feed(as_of=as_of)
    by_kind: dict[str, list[dict[str, Any]]] = {"Location": [], "Schedule": [], "Slot": []}
    for kind, url in files:
        if kind not in by_kind:
            continue
        try:
            by_kind[kind].extend(_lines(fetch(url), kind, url, feed.problems))
        except FileUnavailable as error:
            feed.problems.append(f"{url}: unavailable ({error})")
        if sum(len(items) for items in by_kind.values()) > MAX_RESOURCES:
            raise FeedInvalid(f"the feed has over {MAX_RESOURCES} resources")
    _resolve(feed, by_kind)
    return feed


def _resolve(feed: Feed, by_kind: dict[str, list[dict[str, Any]]]) -> None:
    for item in by_kind["Location"]:
        try:
            feed.locations[item["id"]] = _location(item)
        except (KeyError, TypeError, AttributeError) as error:
            feed.problems.append(f"Location/{item['id']}: {error!r}")
    schedules = {item["id"]: item for item in by_kind["Schedule"]}
    seen: set[str] = set()
    for item in by_kind["Slot"]:
        if item["id"] in seen:
            feed.problems.append(f"Slot/{item['id']}: duplicate id, first kept")
            continue
        seen.add(item["id"])
        try:
            slot = _slot(item, schedules)
            if slot.location_id not in feed.locations:
                raise KeyError(f"Location/{slot.location_id}")
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
            feed.problems.append(f"Slot/{item['id']}: unresolved or invalid ({error})")
            continue
        feed.slots.append(slot)
