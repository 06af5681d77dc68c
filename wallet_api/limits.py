"""Attempt limiting with lockout, behind one small interface.

A :class:`Limiter` counts failures per key (``claim:<id>``, ``addr:<ip>``,
``person:<digest>``). ``max_failures`` failures within ``window`` lock the key for
``lockout``; while locked, every attempt is refused, right or wrong, so guessing cannot
continue at a slower pace. Two implementations: :class:`MemoryLimiter` (one process:
the library and tests) and :class:`DatabaseLimiter` (shared by every replica through the
database, in the caller's transaction). A Redis limiter can implement the same protocol.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wallet_api.errors import RateLimited
from wallet_api.models import AttemptCounter


@dataclass(frozen=True)
class LimitPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)


class Limiter(Protocol):
    def check(self, key: str, *, now: datetime) -> None:
        """Raise :class:`RateLimited` while ``key`` is locked."""

    def failure(self, key: str, *, now: datetime) -> None:
        """Count a failure; the one that reaches the limit locks the key."""

    def reset(self, key: str) -> None:
        """Forget ``key`` (after a success that ends what it guarded)."""


def _locked(key: str, until: datetime, now: datetime) -> RateLimited:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    return RateLimited(f"too many failed attempts for {key.split(':')[0]}", retry_after=seconds)


@dataclass
class _Count:
    window_started_at: datetime
    failures: int
    locked_until: datetime | None


def _advance(count: _Count | None, policy: LimitPolicy, now: datetime) -> _Count:
    """The counter after one more failure at ``now``."""
    if count is None or now >= count.window_started_at + policy.window:
        count = _Count(window_started_at=now, failures=0, locked_until=None)
    count.failures += 1
    if count.failures >= policy.max_failures:
        count.locked_until = now + policy.lockout
        count.failures = 0
        count.window_started_at = now
    return count


class MemoryLimiter:
    """Counts in this process only (thread-safe); right for one server or a library user."""

    def __init__(self, policy: LimitPolicy | None = None) -> None:
        self.policy = policy or LimitPolicy()
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def check(self, key: str, *, now: datetime) -> None:
        with self._lock:
            count = self._counts.get(key)
        if count and count.locked_until and now < count.locked_until:
            raise _locked(key, count.locked_until, now)

    def failure(self, key: str, *, now: datetime) -> None:
        with self._lock:
            self._counts[key] = _advance(self._counts.get(key), self.policy, now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class DatabaseLimiter:
    """Counts in ``wallet_attempts`` through the caller's session, so every replica sees the
    same counts. The caller must commit after a failure even though it refuses the request
    (the router does); the row is read ``FOR UPDATE`` on PostgreSQL so concurrent failures
    do not overwrite each other."""

    def __init__(self, session: Session, policy: LimitPolicy | None = None) -> None:
        self.session = session
        self.policy = policy or LimitPolicy()

    def _row(self, key: str) -> AttemptCounter | None:
        return self.session.get(AttemptCounter, key, with_for_update=True)

    def check(self, key: str, *, now: datetime) -> None:
        row = self.session.get(AttemptCounter, key)
        if row and row.locked_until and now < row.locked_until:
            raise _locked(key, row.locked_until, now)

    def failure(self, key: str, *, now: datetime) -> None:
        row = self._row(key) or self._insert(key, now)
        count = _advance(
            _Count(row.window_started_at, row.failures, row.locked_until), self.policy, now
        )
        row.window_started_at = count.window_started_at
        row.failures = count.failures
        row.locked_until = count.locked_until
        self.session.flush()

    def _insert(self, key: str, now: datetime) -> AttemptCounter:
        """A zero counter; when a concurrent request inserted it first, use that row."""
        try:
            with self.session.begin_nested():
                self.session.add(
                    AttemptCounter(key=key, window_started_at=now, failures=0, locked_until=None)
                )
        except IntegrityError:
            pass
        row = self._row(key)
        assert row is not None  # noqa: S101 - inserted above or by the concurrent request
        return row

    def reset(self, key: str) -> None:
        row = self._row(key)
        if row is not None:
            self.session.delete(row)
