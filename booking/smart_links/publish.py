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
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from booking.availability.models import Publication
from booking.models import SLOT_TIME_ORDER, Site, Slot
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


def locations(session: Session, links: Links) -> list[dict[str, Any]]:
    """Every site as a Location."""
    sites = session.scalars(select(Site).order_by(Site.code))
    return [resources.location(site, links.site(site.code)) for site in sites]


def _upcoming(today: date) -> Select[Slot, Site]:
    return (
        select(Slot, Site)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.day >= today)
        .order_by(*SLOT_TIME_ORDER, Site.code, Slot.id)
    )


def schedules(session: Session, *, today: date) -> list[dict[str, Any]]:
    """One Schedule per site, vaccine and funding that has slots from ``today`` on."""
    keys = session.execute(
        select(Slot.site_id, Slot.vaccine_code, Slot.funding).where(Slot.day >= today).distinct()
    ).all()
    # DISTINCT over ids only: PostgreSQL cannot compare the sites' JSON columns.
    wanted = {site_id for site_id, _, _ in keys}
    sites = {site.id: site for site in session.scalars(select(Site).where(Site.id.in_(wanted)))}
    found = [resources.schedule(sites[key], vaccine, funding) for key, vaccine, funding in keys]
    return sorted(found, key=lambda resource: resource["id"])


def slot_counties(session: Session, *, today: date) -> list[str]:
    """The counties with slots from ``today`` on: one Slot file each."""
    query = (
        select(Site.county_code)
        .join(Slot, Slot.site_id == Site.id)
        .where(Slot.day >= today)
        .distinct()
    )
    return sorted(session.scalars(query))


def slots(session: Session, links: Links, *, today: date, county: str) -> list[dict[str, Any]]:
    """The Slots of one county's sites from ``today`` (Asia/Taipei) on."""
    rows = session.execute(_upcoming(today).where(Site.county_code == county))
    return [item for slot, site in rows for item in resources.slots(slot, site, links.booking)]


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
    current = list(current)
    ids = [resource["id"] for resource in current]
    ledger: dict[str, Publication] = {}
    for start in range(0, len(ids), 1000):  # bounded IN lists
        chosen = ids[start : start + 1000]
        query = select(Publication).where(
            Publication.resource_type == kind, Publication.resource_id.in_(chosen)
        )
        ledger |= {row.resource_id: row for row in session.scalars(query)}
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


def manifest(
    counties: list[str], links: Links, *, now: datetime, since: datetime | None
) -> dict[str, Any]:
    """The ``$bulk-publish`` manifest: one Location file, one Schedule file, a Slot file per
    county (``extension.state``, as the spec's examples split slots by state)."""
    query = "?" + urlencode({"_since": since.isoformat()}) if since else ""
    output: list[dict[str, Any]] = [
        {"type": "Location", "url": links.file("locations.ndjson") + query},
        {"type": "Schedule", "url": links.file("schedules.ndjson") + query},
    ]
    for county in counties:
        url = links.file(f"slots-{county}.ndjson") + query
        output.append({"type": "Slot", "url": url, "extension": {"state": [county]}})
    return {
        "transactionTime": now.isoformat(),
        "request": links.manifest + query,
        "output": output,
        "error": [],
    }
