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
    body: bytes | None
    """None when not read: the client already holds it (its If-None-Match matched)."""
    etag: str
    media_type: str
    fresh_until: datetime | None = None
    """After this (by the app's clock) the entry must be computed again (e.g. a signed
    document due for re-signing); None: only the TTL and invalidation end it."""


def _head(item: Representation) -> bytes:
    return orjson.dumps(
        {
            "etag": item.etag,
            "media_type": item.media_type,
            "fresh_until": item.fresh_until.isoformat() if item.fresh_until else None,
        }
    )


def _decode(head: bytes, body: bytes | None) -> Representation:
    fields = orjson.loads(head)
    fresh_until = fields["fresh_until"]
    return Representation(
        body=body,
        etag=fields["etag"],
        media_type=fields["media_type"],
        fresh_until=datetime.fromisoformat(fresh_until) if fresh_until else None,
    )


def _current(item: Representation, now: datetime) -> bool:
    return item.fresh_until is None or now < item.fresh_until


def cached(
    state: SharedState,
    namespace: str,
    key: str,
    *,
    ttl_seconds: int,
    now: datetime,
    compute: Callable[[], Representation],
    held: Callable[[str], bool] | None = None,
) -> Representation:
    """The representation for ``key``: from the cache when current, else computed and
    stored for ``ttl_seconds`` (0: never cached).

    ``held`` tells whether the client already holds an ETag (its If-None-Match): then only
    the small head entry is read and, when it matches, the body is not fetched at all
    (``body`` is None), so a 304 costs one small cache read even for a large document.
    """
    if ttl_seconds <= 0:
        return compute()
    if held is not None:
        _, head = state.cache_get(namespace, key + "\x00head")
        if head is not None:
            known = _decode(head, None)
            if _current(known, now) and held(known.etag):
                return known
    generation, blob = state.cache_get(namespace, key)
    if blob is not None:
        head, _, body = blob.partition(b"\n")
        found = _decode(head, body)
        if _current(found, now):
            return found
    item = compute()
    assert item.body is not None  # noqa: S101 - compute renders the whole body
    head = _head(item)
    ttl_ms = ttl_seconds * 1000
    state.cache_put(namespace, key, generation, head + b"\n" + item.body, ttl_ms)
    state.cache_put(namespace, key + "\x00head", generation, head, ttl_ms)
    return item
