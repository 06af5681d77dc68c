"""The state replicas must share, behind one small interface, and its in-process backend.

Three things: fixed-window counters (rate limits), locks with an owner token (idempotency
keys in flight), and a response cache whose entries are tagged with a per-namespace
generation (bumping the generation invalidates every entry of the namespace at once, so a
write never has to know which cached queries it affects).

:class:`MemoryState` keeps all of it in this process: right for one server process, and
what vaxx uses when ``VAXX_REDIS_URL`` is unset. :class:`~vaxx.shared_state.redis_state.
RedisState` keeps it in Redis for several replicas. Both raise
:class:`~vaxx.shared_state.errors.SharedStateUnavailable` (503) when they cannot answer.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class WindowCount:
    """Requests counted in the current window, and milliseconds until it ends."""

    count: int
    reset_ms: int


class SharedState(Protocol):
    local: bool
    """True when every call is a quick in-memory operation (no need for a worker thread)."""

    def count(self, key: str, window_ms: int) -> WindowCount:
        """Count one more request for ``key`` in its fixed window (started by its first)."""

    def acquire(self, key: str, ttl_ms: int) -> str | None:
        """Take the lock ``key`` for at most ``ttl_ms``: its owner token, or None if held."""

    def release(self, key: str, token: str) -> None:
        """Release ``key`` if ``token`` still owns it (an expired lock taken over by another
        owner is left alone)."""

    def cache_get(self, namespace: str, key: str) -> tuple[int, bytes | None]:
        """The namespace's generation and the entry for ``key`` stored under it (else None).

        Read the generation before computing what to store: an entry computed from data
        older than a bump is then stored under the old generation and never served."""

    def cache_put(
        self, namespace: str, key: str, generation: int, value: bytes, ttl_ms: int
    ) -> None:
        """Store ``value`` for ``key`` as computed under ``generation``."""

    def bump(self, namespace: str) -> None:
        """Invalidate every entry of ``namespace``."""

    def ping(self) -> None:
        """Raise when the backend cannot answer (the readiness check)."""

    def close(self) -> None:
        """Release connections."""


class MemoryState:
    """:class:`SharedState` in this process only (thread-safe; bounded memory)."""

    local = True
    MAX_CACHE_ENTRIES = 1024
    SWEEP_EVERY = 4096

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}
        self._locks: dict[str, tuple[str, float]] = {}
        self._generations: dict[str, int] = {}
        self._cache: OrderedDict[tuple[str, str], tuple[int, bytes, float]] = OrderedDict()
        self._calls = 0

    def count(self, key: str, window_ms: int) -> WindowCount:
        now = time.monotonic()
        with self._lock:
            self._sweep(now)
            count, ends = self._windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + window_ms / 1000
            self._windows[key] = (count + 1, ends)
        return WindowCount(count + 1, max(0, round((ends - now) * 1000)))

    def acquire(self, key: str, ttl_ms: int) -> str | None:
        now = time.monotonic()
        token = secrets.token_hex(16)
        with self._lock:
            held = self._locks.get(key)
            if held is not None and held[1] > now:
                return None
            self._locks[key] = (token, now + ttl_ms / 1000)
        return token

    def release(self, key: str, token: str) -> None:
        with self._lock:
            held = self._locks.get(key)
            if held is not None and held[0] == token:
                del self._locks[key]

    def cache_get(self, namespace: str, key: str) -> tuple[int, bytes | None]:
        now = time.monotonic()
        with self._lock:
            generation = self._generations.get(namespace, 0)
            entry = self._cache.get((namespace, key))
            if entry is None or entry[0] != generation or entry[2] <= now:
                return generation, None
            self._cache.move_to_end((namespace, key))
            return generation, entry[1]

    def cache_put(
        self, namespace: str, key: str, generation: int, value: bytes, ttl_ms: int
    ) -> None:
        with self._lock:
            self._cache[(namespace, key)] = (generation, value, time.monotonic() + ttl_ms / 1000)
            self._cache.move_to_end((namespace, key))
            while len(self._cache) > self.MAX_CACHE_ENTRIES:
                self._cache.popitem(last=False)

    def bump(self, namespace: str) -> None:
        with self._lock:
            self._generations[namespace] = self._generations.get(namespace, 0) + 1

    def ping(self) -> None:
        return None

    def close(self) -> None:
        return None

    def _sweep(self, now: float) -> None:
        """Drop ended windows and locks now and then, so a flood of distinct client
        addresses cannot grow memory without bound (called with the lock held)."""
        self._calls += 1
        if self._calls % self.SWEEP_EVERY:
            return
        self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
        self._locks = {k: v for k, v in self._locks.items() if v[1] > now}
