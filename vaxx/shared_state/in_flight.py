""" "In flight" locks: one request at a time per key, across every replica.

An Idempotency-Key makes a retried request safe once the first has committed (the
database answers the replay). While the first is still running, a duplicate on another
replica would do the whole work again and lose only at the final insert: for issuance
that means signing twice. Holding a lock around the work turns that duplicate into a
409 with ``Retry-After: 1``; its retry then gets the committed answer. The database stays
the ground truth: a lock that expired mid-work only lets the old race happen again, and
the unique key still settles it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from vaxx.shared_state.errors import IdempotencyKeyInFlight, SharedStateUnavailable
from vaxx.shared_state.state import SharedState

LOCK_TTL = timedelta(seconds=30)
"""Far longer than any single request should take, short enough that a crashed replica's
lock is gone by the time a client gives up retrying."""
_log = logging.getLogger("vaxx.shared_state")


def idempotency_lock_key(scope: str, client_id: str, key: str) -> str:
    """The lock name of an Idempotency-Key (hashed: keys are client-chosen text)."""
    digest = hashlib.sha256(f"{client_id}\x00{key}".encode()).hexdigest()[:40]
    return f"idem:{scope}:{digest}"


@contextmanager
def in_flight(state: SharedState, key: str, *, ttl: timedelta = LOCK_TTL) -> Iterator[None]:
    """Run the block holding ``key``; :class:`IdempotencyKeyInFlight` if another holds it."""
    token = state.acquire(key, int(ttl.total_seconds() * 1000))
    if token is None:
        raise IdempotencyKeyInFlight(
            "a request with this Idempotency-Key is still being carried out; retry shortly"
        )
    try:
        yield
    finally:
        try:
            state.release(key, token)
        except SharedStateUnavailable as exc:
            # The work is done (and committed): the lock just runs out on its own.
            _log.warning("could not release an in-flight lock: %s", exc.detail)
