"""The Prometheus instruments vaxx exports, and how the services count what committed.

Label values are bounded: a route is its template (``/issuer/certificates/{certificate_id}``),
never the raw path, and paths that match no route share one ``unmatched`` label, so a scan
of random URLs cannot grow the series without limit.

Domain counters (certificates issued, bookings made) are counted when the transaction that
wrote them commits, not when the service function returns: a batch item that rolls back,
or the loser of an idempotency race, issued nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Counter, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

UNMATCHED_ROUTE = "unmatched"
"""The route label of a request that matched no route (404s, probes of random paths)."""

HTTP_REQUESTS = Counter(
    "vaxx_http_requests",
    "HTTP requests answered, by method, route template and status class (2xx, 4xx...)",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "vaxx_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by method and route template",
    ["method", "route"],
)
RATE_LIMITED = Counter(
    "vaxx_rate_limited_responses",
    "429 answers (a rate limit or lockout held), by route template",
    ["route"],
)
CERTIFICATES_ISSUED = Counter(
    "vaxx_certificates_issued",
    "Certificates signed and committed to the register, by type",
    ["type"],
)
VERIFICATIONS = Counter(
    "vaxx_verifications",
    "Online verifications (POST /verifier/verify), by verdict",
    ["verdict"],
)
BOOKINGS = Counter(
    "vaxx_bookings",
    "Appointments booked and committed, by channel",
    ["channel"],
)

_PENDING = "vaxx.metrics.pending"


def count_on_commit(session: Session, increment: Callable[[], None]) -> None:
    """Run ``increment`` once ``session``'s transaction commits; drop it if it rolls back."""
    pending: list[Callable[[], None]] = session.info.setdefault(_PENDING, [])
    pending.append(increment)


@event.listens_for(Session, "after_commit")
def _commit(session: Session) -> None:
    for increment in session.info.pop(_PENDING, ()):
        increment()


@event.listens_for(Session, "after_soft_rollback")
def _rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    # A savepoint's rollback leaves the outer transaction (and what it counted) alive.
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
