"""SMART Scheduling Links endpoints: the ``$bulk-publish`` manifest, its NDJSON files and the
publisher advertisement (no token; cached by ETag like the rest of the open data)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from booking.availability import http_cache
from booking.availability.errors import AvailabilityInputError, FeedFileNotFound
from booking.smart_links import publish
from booking.taiwan import taipei_date
from vaxx.deps import NowDep, SessionDep, SettingsDep

router = APIRouter(tags=["smart-scheduling-links"])
NDJSON = "application/fhir+ndjson"
_SLOT_FILE = re.compile(r"slots-([0-9]{5})\.ndjson")
SinceQuery = Annotated[
    datetime | None,
    Query(alias="_since", description="Only resources changed after this instant (with offset)"),
]


def _since(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise AvailabilityInputError("_since needs a UTC offset, e.g. 2026-11-23T08:00:00Z")
    return value


@router.get(
    "/$bulk-publish",
    summary="SMART Scheduling Links manifest (Location, Schedule, Slot files)",
    response_class=Response,
)
def bulk_publish(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    since: SinceQuery = None,
) -> Response:
    after = _since(since)

    def render() -> tuple[bytes, str]:
        links = publish.Links(http_cache.base_url(request, settings))
        counties = publish.slot_counties(session, today=taipei_date(now))
        body = publish.manifest(counties, links, now=now, since=after)
        return json.dumps(body).encode(), "application/json"

    return http_cache.respond_cached(request, settings, now, render)


def _resources(
    session: SessionDep, links: publish.Links, name: str, today: date
) -> tuple[str, list[dict[str, Any]]]:
    if name == "locations.ndjson":
        return "Location", publish.locations(session, links)
    if name == "schedules.ndjson":
        return "Schedule", publish.schedules(session, today=today)
    match = _SLOT_FILE.fullmatch(name)
    if match is None:
        raise FeedFileNotFound(f"no feed file named {name!r}")
    return "Slot", publish.slots(session, links, today=today, county=match[1])


@router.get(
    "/smart-scheduling/{name}",
    summary="A feed file: locations.ndjson, schedules.ndjson or slots-<county>.ndjson",
    response_class=Response,
)
def feed_file(
    name: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
    since: SinceQuery = None,
) -> Response:
    if name == "publisher.json":
        return _advertisement(request, settings)
    after = _since(since)

    def render() -> tuple[bytes, str]:
        links = publish.Links(http_cache.base_url(request, settings))
        kind, selected = _resources(session, links, name, taipei_date(now))
        changed = publish.changes(session, kind, selected, now=now)
        session.commit()
        if after is not None:
            selected = [item for item in selected if changed[item["id"]] > after]
        return publish.ndjson(selected), NDJSON

    return http_cache.respond_cached(request, settings, now, render)


def _advertisement(request: Request, settings: SettingsDep) -> Response:
    """The publisher advertisement (smart-scheduling-links ``publisher-advertising.md``)."""
    links = publish.Links(http_cache.base_url(request, settings))
    body = {
        "@context": "https://schema.org/",
        "@type": "Service",
        "name": "vaxx COVID-19 vaccination slots, Taiwan",
        "serviceType": "https://github.com/smart-on-fhir/smart-scheduling-links",
        "category": "production" if settings.env == "production" else "testing",
        "url": links.manifest,
        "provider": {
            "@type": "Organization",
            "name": settings.issuer_name,
            "contactPoint": [
                {
                    "@type": "ContactPoint",
                    "name": "Open data desk",
                    "email": settings.availability_contact_email,
                }
            ],
        },
    }
    return http_cache.respond(request, settings, json.dumps(body).encode(), "application/json")
