"""Rendered public responses (body, ETag, media type) kept in the shared state.

Open data and the trust list are read by thousands and change rarely; computing them is a
database query and a render, and before this cache a 304 cost exactly as much as the full
answer (the ETag is a hash of the body). Here an answer is computed once per namespace
generation and key, and every repeat, 200 or 304, is one cache read. Entries are tagged
with the generation read *before* computing (see
:meth:`~vaxx.shared_state.state.SharedState.cache_get`), so a write committed meanwhile
can never be hidden by an entry computed from older data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson

from vaxx.shared_state.state import SharedState


@dataclass(frozen=True, slots=True)
class Representation:
    body: bytes
    etag: str
    media_type: str
    fresh_until: datetime | None = None
    """After this (by the app's clock) the entry must be computed again (e.g. a signed
    document due for re-signing); None: only the TTL and invalidation end it."""


def _encode(item: Representation) -> bytes:
    head = {
        "etag": item.etag,
        "media_type": item.media_type,
        "fresh_until": item.fresh_until.isoformat() if item.fresh_until else None,
    }
    return orjson.dumps(head) + b"\n" + item.body


def _decode(blob: bytes) -> Representation:
    head, _, body = blob.partition(b"\n")
    fields = orjson.loads(head)
    fresh_until = fields["fresh_until"]
    return Representation(
        body=body,
        etag=fields["etag"],
        media_type=fields["media_type"],
        fresh_until=datetime.fromisoformat(fresh_until) if fresh_until else None,
    )


def cached(
    state: SharedState,
    namespace: str,
    key: str,
    *,
    ttl_seconds: int,
    now: datetime,
    compute: Callable[[], Representation],
) -> Representation:
    """The representation for ``key``: from the cache when current, else computed and
    stored for ``ttl_seconds`` (0: never cached)."""
    if ttl_seconds <= 0:
        return compute()
    generation, blob = state.cache_get(namespace, key)
    if blob is not None:
        found = _decode(blob)
        if found.fresh_until is None or now < found.fresh_until:
            return found
    item = compute()
    state.cache_put(namespace, key, generation, _encode(item), ttl_seconds * 1000)
    return item
