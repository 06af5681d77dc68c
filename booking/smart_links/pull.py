"""Pull the SMART Scheduling Links feeds vaxx aggregates (on a schedule inside ``vaxx serve``,
see :mod:`booking.smart_links.schedule`, or by hand with ``vaxx availability pull``). A feed
whose manifest cannot be read keeps its last data, which then shows as stale; the failure is
recorded on the source (``last_error``) and returned for the operator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.availability import store
from booking.availability.errors import FeedInvalid
from booking.availability.models import Source
from booking.smart_links import importer


@dataclass
class PullResult:
    source: str
    slots: int = 0
    problems: list[str] = field(default_factory=list)
    failed: bool = False
    """True when nothing was stored (the feed's previous data stays, ageing into stale)."""


def add_feed(session: Session, name: str, url: str, *, now: datetime) -> Source:
    if not url.startswith(("https://", "http://")) or not url.endswith("$bulk-publish"):
        raise FeedInvalid("a feed URL is http(s) and ends in $bulk-publish", field="url")
    return store.source(session, name, kind="smart-feed", now=now, url=url)


def pull_one(
    session: Session, source: Source, fetch: importer.Fetch, *, now: datetime
) -> PullResult:
    result = PullResult(source.name)
    try:
        feed = importer.read(fetch(source.url or ""), fetch)
    except (FeedInvalid, importer.FileUnavailable) as error:
        result.problems.append(f"manifest: {error}")
        result.failed = True
        record_failure(source, result.problems[0], now=now)
        return result
    with session.begin_nested():
        result.slots = store.replace(session, source, feed, now=now)
    source.last_error = source.last_error_at = None
    result.problems = feed.problems
    return result


def record_failure(source: Source, reason: str, *, now: datetime) -> None:
    """Keep why the last pull failed where an operator (and the next pull) can see it."""
    source.last_error = reason[:1000]
    source.last_error_at = now


def pull_all(
    session: Session, fetch: importer.Fetch, *, now: datetime, name: str | None = None
) -> list[PullResult]:
    query = select(Source).where(Source.kind == "smart-feed").order_by(Source.name)
    if name is not None:
        query = query.where(Source.name == name)
    return [pull_one(session, source, fetch, now=now) for source in session.scalars(query)]
