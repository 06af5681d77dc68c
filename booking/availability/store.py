"""Keep what a source told us: its locations and slots, replaced whole on each full update,
each row stamped with the source's own time (``as_of``) and the time vaxx received it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from booking import taiwan
from booking.availability.errors import SourceConflict
from booking.availability.models import ExternalLocation, ExternalSlot, Source
from booking.smart_links.importer import Feed, FeedLocation


def county_code(*names: str | None) -> str | None:
    """Our county code when one of ``names`` (code, Chinese or English name) is a county."""
    for name in names:
        if name:
            try:
                return taiwan.county(name).code
            except KeyError:
                continue
    return None


def source(
    session: Session,
    name: str,
    *,
    kind: str,
    now: datetime,
    url: str | None = None,
    client_id: str | None = None,
) -> Source:
    """The source called ``name``, created on first use; a name is bound to one kind."""
    found = session.scalars(select(Source).where(Source.name == name)).first()
    if found is None:
        found = Source(name=name, kind=kind, url=url, client_id=client_id, created_at=now)
        session.add(found)
        session.flush()
    elif found.kind != kind or (client_id is not None and found.client_id != client_id):
        raise SourceConflict(f"the availability source {name!r} belongs to someone else")
    return found


def _location(
    source_id: int, item: FeedLocation, as_of: datetime, now: datetime
) -> ExternalLocation:
    return ExternalLocation(
        source_id=source_id,
        external_id=item.id[:64],
        name=item.name[:300],
        county_code=county_code(item.state, item.city),
        city=item.city,
        district=item.district,
        address=item.address,
        phone=item.phone,
        latitude=item.latitude,
        longitude=item.longitude,
        as_of=as_of,
        received_at=now,
    )


def replace(session: Session, owner: Source, feed: Feed, *, now: datetime) -> int:
    """Replace ``owner``'s locations and slots with ``feed``'s; the number of slots kept.

    A source's clock ahead of ours cannot make its data fresher than its arrival: ``as_of``
    is the earlier of the source's time and ``now``.
    """
    as_of = min(feed.as_of, now)
    session.execute(delete(ExternalSlot).where(ExternalSlot.source_id == owner.id))
    session.execute(delete(ExternalLocation).where(ExternalLocation.source_id == owner.id))
    rows = {key: _location(owner.id, item, as_of, now) for key, item in feed.locations.items()}
    session.add_all(rows.values())
    session.flush()
    for slot in feed.slots:
        session.add(
            ExternalSlot(
                source_id=owner.id,
                location_id=rows[slot.location_id].id,
                external_id=slot.id[:64],
                vaccine=slot.vaccine,
                funding=slot.funding,
                start=slot.start,
                end=slot.end,
                status=slot.status,
                capacity=slot.capacity,
                booking_url=slot.booking_url,
                as_of=as_of,
                received_at=now,
            )
        )
    owner.as_of, owner.fetched_at = as_of, now
    session.flush()
    return len(feed.slots)
