"""vaxx's own SMART Scheduling Links feed: gather resources, track changes, render NDJSON.

The spec lets clients ask the manifest for ``?_since=<instant>`` (changes only). Booking
rows carry no modification time, so the feed keeps a ledger (``availability_publication``):
the digest of every resource it has published and when that digest last changed. Each
rendering compares the current resources with the ledger, stamps the changed ones with the
request's clock reading, and ``_since`` keeps the resources stamped after the instant.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from booking.availability.models import Publication
from booking.models import Site, Slot
from booking.smart_links import resources

TYPES = ("Location", "Schedule", "Slot")


@dataclass(frozen=True)
class Links:
    """Where the public finds vaxx: feed files, booking deep links and site pages."""

    base: str

    @property
    def manifest(self) -> str:
        return f"{self.base}/$bulk-publish"

    @property
    def booking(self) -> str:
        return f"{self.base}/book"

    def file(self, name: str) -> str:
        return f"{self.base}/smart-scheduling/{name}"

    def site(self, code: str) -> str:
        return f"{self.booking}?site={code}"


@dataclass
class Feed:
    """The feed's resources by type; a Slot's county says which slot file it goes in."""

    locations: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)
    slots: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        if kind == "Location":
            return self.locations
        if kind == "Schedule":
            return self.schedules
        return [resource for _, resource in self.slots]

    def slot_counties(self) -> list[str]:
        return sorted({county for county, _ in self.slots})


def collect(session: Session, links: Links, *, today: date) -> Feed:
    """Every site, and the schedules and slots from ``today`` (Asia/Taipei) on."""
    feed = Feed()
    for site in session.scalars(select(Site).order_by(Site.code)):
        feed.locations.append(resources.location(site, links.site(site.code)))
    rows = session.execute(
        select(Slot, Site)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.day >= today)
        .order_by(Slot.day, Slot.session, Site.code, Slot.id)
    )
    seen: set[str] = set()
    for slot, site in rows:
        schedule = resources.schedule(site, slot.vaccine_code, slot.funding)
        if schedule["id"] not in seen:
            seen.add(schedule["id"])
            feed.schedules.append(schedule)
        for resource in resources.slots(slot, site, links.booking):
            feed.slots.append((site.county_code, resource))
    return feed


def digest(resource: dict[str, Any]) -> str:
    canonical = json.dumps(resource, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def changes(
    session: Session, kind: str, current: Iterable[dict[str, Any]], *, now: datetime
) -> dict[str, datetime]:
    """When each current resource of ``kind`` last changed, recording new changes at ``now``.

    Two concurrent renderings may stamp the same change (or a busy database may refuse the
    write); the loser's savepoint is rolled back and it answers with ``now`` for every
    resource, which only makes ``_since`` return resources once more, never miss one.
    """
    ledger = {
        row.resource_id: row
        for row in session.scalars(select(Publication).where(Publication.resource_type == kind))
    }
    stamped: dict[str, datetime] = {}
    try:
        with session.begin_nested():
            for resource in current:
                stamped[resource["id"]] = _stamp(session, ledger, kind, resource, now)
    except (IntegrityError, OperationalError):
        stamped = {resource["id"]: now for resource in current}
    return stamped


def _stamp(
    session: Session,
    ledger: dict[str, Publication],
    kind: str,
    resource: dict[str, Any],
    now: datetime,
) -> datetime:
    value = digest(resource)
    row = ledger.get(resource["id"])
    if row is None:
        row = Publication(resource_type=kind, resource_id=resource["id"], digest=value)
        row.changed_at = now
        session.add(row)
        session.flush()
    elif row.digest != value:
        row.digest, row.changed_at = value, now
    return row.changed_at


def ndjson(items: Iterable[dict[str, Any]]) -> bytes:
    """One minified JSON object per line (spec: "each line contains a minified JSON object")."""
    lines = (json.dumps(item, separators=(",", ":"), ensure_ascii=False) for item in items)
    return "".join(line + "\n" for line in lines).encode()


def manifest(feed: Feed, links: Links, *, now: datetime, since: datetime | None) -> dict[str, Any]:
    """The ``$bulk-publish`` manifest: one Location file, one Schedule file, a Slot file per
    county (``extension.state``, as the spec's examples split slots by state)."""
    query = "?" + urlencode({"_since": since.isoformat()}) if since else ""
    output: list[dict[str, Any]] = [
        {"type": "Location", "url": links.file("locations.ndjson") + query},
        {"type": "Schedule", "url": links.file("schedules.ndjson") + query},
    ]
    for county in feed.slot_counties():
        url = links.file(f"slots-{county}.ndjson") + query
        output.append({"type": "Slot", "url": url, "extension": {"state": [county]}})
    return {
        "transactionTime": now.isoformat(),
        "request": links.manifest + query,
        "output": output,
        "error": [],
    }
