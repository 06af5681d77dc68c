"""Partner ingestion: a site with its own booking system pushes its whole availability.

A push replaces the partner's previous one (no partial state to reconcile). Each session
becomes up to two stored slots, its free places and its taken places, the same shape a
SMART Scheduling Links feed has, so both kinds of source are read back by one query.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from booking.availability import store
from booking.availability.errors import AvailabilityInputError
from booking.availability.schemas import PartnerPush, PartnerSlot
from booking.smart_links.importer import Feed, FeedLocation, FeedSlot
from vaxx import audit
from vaxx.auth.models import ApiClient


def _slots(item: PartnerSlot) -> list[FeedSlot]:
    if item.end <= item.start:
        raise AvailabilityInputError(f"slot {item.id!r} ends before it starts", field="slots")
    if item.available > item.capacity:
        raise AvailabilityInputError(
            f"slot {item.id!r} has more places available than its capacity", field="slots"
        )
    parts = [("free", item.available), ("busy", item.capacity - item.available)]
    return [
        FeedSlot(
            id=f"{item.id}.{status}",
            location_id=item.location_id,
            vaccine=item.vaccine,
            start=item.start,
            end=item.end,
            status=status,
            capacity=places,
            booking_url=item.booking_url if status == "free" else None,
            funding=item.funding.value if item.funding else None,
        )
        for status, places in parts
        if places > 0
    ]


def to_feed(push: PartnerPush) -> Feed:
    """The push as a feed; unknown locations and repeated ids are the partner's to fix."""
    feed = Feed(as_of=push.as_of)
    for location in push.locations:
        if location.id in feed.locations:
            raise AvailabilityInputError(f"location {location.id!r} appears twice")
        feed.locations[location.id] = FeedLocation(
            id=location.id,
            name=location.name,
            city=location.county,
            state=None,
            district=location.district,
            address=location.address,
            phone=location.phone,
            latitude=location.latitude,
            longitude=location.longitude,
        )
    seen: set[str] = set()
    for item in push.slots:
        if item.location_id not in feed.locations:
            raise AvailabilityInputError(f"slot {item.id!r}: no location {item.location_id!r}")
        if item.id in seen:
            raise AvailabilityInputError(f"slot {item.id!r} appears twice")
        seen.add(item.id)
        feed.slots.extend(_slots(item))
    return feed


def push(session: Session, client: ApiClient, data: PartnerPush, *, now: datetime) -> int:
    """Store ``client``'s availability (source named after the client); the slots kept."""
    if data.as_of > now:
        raise AvailabilityInputError("as_of is in the future", field="as_of")
    feed = to_feed(data)
    owner = store.source(session, client.name, kind="partner", now=now, client_id=client.id)
    kept = store.replace(session, owner, feed, now=now)
    audit.record(
        session,
        at=now,
        actor=f"client:{client.id}",
        action="availability.partner.push",
        target=owner.name,
        details={"locations": len(feed.locations), "slots": len(data.slots)},
    )
    return kept
