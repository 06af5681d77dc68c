"""Pull partners' SMART feeds from inside ``vaxx serve``, once per period across replicas.

Every serving process runs a :class:`FeedPuller` thread. Which replica pulls a feed is
decided by the feed's own row: :func:`claim` is one ``UPDATE ... WHERE`` that succeeds only
when the feed is due (not claimed in the last period) and not leased, so of several
replicas exactly one wins per period, on SQLite and PostgreSQL alike, with no Redis. The
claim carries a lease, so a replica that dies mid-pull only holds the feed until it runs
out. A failed pull is logged and recorded on the source (``last_error``); the feed's
previous data stays and is shown as stale once it ages past the freshness window.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from booking.availability.models import Source
from booking.smart_links import importer, pull
from vaxx import db
from vaxx.clock import Clock

logger = logging.getLogger("vaxx.availability.pull")  # under "vaxx": the served log handler

LEASE = timedelta(minutes=10)
"""Longer than a pull can take (the fetcher's timeout is per file), short enough that a
dead replica's feed is picked up again soon."""
MAX_TICK = timedelta(seconds=60)
"""How often a puller looks for due feeds at most: a newly added feed waits no longer."""


def _claimable(now: datetime, period: timedelta) -> ColumnElement[bool]:
    return and_(
        Source.kind == "smart-feed",
        or_(Source.pull_started_at.is_(None), Source.pull_started_at <= now - period),
        or_(Source.pull_lease_until.is_(None), Source.pull_lease_until <= now),
    )


def due(session: Session, *, now: datetime, period: timedelta) -> list[int]:
    """Ids of the feeds no replica has claimed in the last ``period`` nor holds now."""
    query = select(Source.id).where(_claimable(now, period)).order_by(Source.name)
    return list(session.scalars(query))


def claim(
    session: Session,
    source_id: int,
    *,
    owner: str,
    now: datetime,
    period: timedelta,
    lease: timedelta = LEASE,
) -> bool:
    """Take the feed for this period; False when another replica got there first.

    The condition is re-checked by the database inside the UPDATE (a row lock on
    PostgreSQL, the write lock on SQLite), so two replicas cannot both see rowcount 1.
    """
    claimed = session.execute(
        update(Source)
        .where(Source.id == source_id, _claimable(now, period))
        .values(pull_started_at=now, pull_lease_until=now + lease, pull_lease_owner=owner)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, source_id: int, *, owner: str) -> None:
    """Give the lease back (the period still runs from the claim)."""
    session.execute(
        update(Source)
        .where(Source.id == source_id, Source.pull_lease_owner == owner)
        .values(pull_lease_until=None, pull_lease_owner=None)
        .execution_options(synchronize_session=False)
    )


class FeedPuller:
    """Pulls the due feeds now (:meth:`run_due`) or every tick in a thread (:meth:`start`)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        fetch: importer.Fetch,
        *,
        clock: Clock,
        period: timedelta,
        lease: timedelta = LEASE,
        owner: str | None = None,
    ) -> None:
        self.factory = factory
        self.fetch = fetch
        self.clock = clock
        self.period = period
        self.lease = lease
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_due(self) -> list[pull.PullResult]:
        """Pull every feed this replica manages to claim; the others are someone else's."""
        with db.transaction(self.factory) as session:
            candidates = due(session, now=self.clock(), period=self.period)
        results = []
        for source_id in candidates:
            with db.transaction(self.factory) as session:
                won = claim(
                    session,
                    source_id,
                    owner=self.owner,
                    now=self.clock(),
                    period=self.period,
                    lease=self.lease,
                )
            if won:
                results.append(self._pull(source_id))
        return results

    def _pull(self, source_id: int) -> pull.PullResult:
        try:
            with db.transaction(self.factory) as session:
                source = session.get_one(Source, source_id)
                result = pull.pull_one(session, source, self.fetch, now=self.clock())
                release(session, source_id, owner=self.owner)
        except Exception as error:  # noqa: BLE001 - one feed must never stop the server
            reason = f"{type(error).__name__}: {error}"
            with db.transaction(self.factory) as session:
                source = session.get_one(Source, source_id)
                pull.record_failure(source, reason, now=self.clock())
                release(session, source_id, owner=self.owner)
                result = pull.PullResult(source.name, problems=[reason], failed=True)
        if result.failed:
            logger.warning("availability feed %s not pulled: %s", result.source, result.problems)
        else:
            logger.info(
                "availability feed %s pulled: %d slots, %d problems",
                result.source,
                result.slots,
                len(result.problems),
            )
        return result

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="vaxx-feed-puller", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish; a pull in flight may run on (the thread is a daemon and
        its lease runs out), but no new one starts."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        tick = min(self.period, MAX_TICK).total_seconds()
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:
                logger.exception("availability feed puller: could not look for due feeds")
            self._stop.wait(tick)
