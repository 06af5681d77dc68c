"""Both shared-state backends behave alike: fixed-window counters, owner-token locks, and a
generation-tagged cache. The Redis half skips (with the reason) only when no Redis answers
at ``VAXX_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/0``); every test uses a key
prefix of its own."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis

from vaxx.shared_state import MemoryState, SharedState, cache
from vaxx.shared_state.errors import SharedStateUnavailable
from vaxx.shared_state.redis_state import RedisState

REDIS_URL = os.environ.get("VAXX_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> None:
    probe = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        probe.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answers at {REDIS_URL}: {type(exc).__name__}")
    finally:
        probe.close()


@pytest.fixture(params=["memory", "redis"])
def state(request: pytest.FixtureRequest) -> Iterator[SharedState]:
    if request.param == "memory":
        yield MemoryState()
        return
    redis_or_skip()
    prefix = f"vaxx-test-{uuid.uuid4().hex[:12]}:"
    backend = RedisState(REDIS_URL, prefix=prefix)
    try:
        yield backend
    finally:
        cleanup = redis.Redis.from_url(REDIS_URL)
        for key in cleanup.scan_iter(f"{prefix}*"):
            cleanup.delete(key)
        cleanup.close()
        backend.close()


def _poll(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_counts_within_a_window_per_key(state: SharedState) -> None:
    counts = [state.count("open_data:192.0.2.1", 60_000).count for _ in range(3)]
    assert counts == [1, 2, 3]
    assert state.count("open_data:192.0.2.2", 60_000).count == 1
    assert 0 < state.count("open_data:192.0.2.1", 60_000).reset_ms <= 60_000


def test_a_window_ends_and_counting_starts_again(state: SharedState) -> None:
    assert state.count("booking:192.0.2.9", 50).count == 1
    assert _poll(lambda: state.count("booking:192.0.2.9", 50).count == 1)


def test_a_lock_has_one_owner_until_released_by_it(state: SharedState) -> None:
    token = state.acquire("idem:x", 60_000)
    assert token is not None
    assert state.acquire("idem:x", 60_000) is None
    state.release("idem:x", "not-the-owner")
    assert state.acquire("idem:x", 60_000) is None
    state.release("idem:x", token)
    assert state.acquire("idem:x", 60_000) is not None


def test_an_expired_lock_can_be_taken_and_the_old_owner_cannot_release_it(
    state: SharedState,
) -> None:
    old = state.acquire("idem:y", 30)
    assert old is not None
    assert _poll(lambda: state.acquire("idem:y", 60_000) is not None)
    state.release("idem:y", old)
    assert state.acquire("idem:y", 60_000) is None


def test_cache_entries_live_until_their_generation_is_bumped(state: SharedState) -> None:
    generation, entry = state.cache_get("availability", "/open-data/availability")
    assert entry is None
    state.cache_put("availability", "/open-data/availability", generation, b"body", 60_000)
    assert state.cache_get("availability", "/open-data/availability") == (generation, b"body")
    assert state.cache_get("trust-list", "/open-data/availability")[1] is None
    state.bump("availability")
    bumped, entry = state.cache_get("availability", "/open-data/availability")
    assert (bumped, entry) == (generation + 1, None)


def test_an_entry_computed_before_a_bump_is_never_served(state: SharedState) -> None:
    """The read-compute-store race: the write commits (bump) while the old data renders."""
    generation, _ = state.cache_get("availability", "k")
    state.bump("availability")
    state.cache_put("availability", "k", generation, b"old data", 60_000)
    assert state.cache_get("availability", "k")[1] is None


def test_cache_entries_expire(state: SharedState) -> None:
    state.cache_put("availability", "k", 0, b"short-lived", 30)
    assert _poll(lambda: state.cache_get("availability", "k")[1] is None)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_unreachable_redis_is_shared_state_unavailable_on_every_operation() -> None:
    backend = RedisState(f"redis://127.0.0.1:{_closed_port()}/0", timeout=0.2)
    operations = [
        lambda: backend.count("k", 1000),
        lambda: backend.acquire("k", 1000),
        lambda: backend.release("k", "t"),
        lambda: backend.cache_get("n", "k"),
        lambda: backend.cache_put("n", "k", 0, b"v", 1000),
        lambda: backend.bump("n"),
        backend.ping,
    ]
    for operation in operations:
        with pytest.raises(SharedStateUnavailable) as raised:
            operation()
        assert raised.value.status == 503
        assert raised.value.code == "shared_state_unavailable"
        assert raised.value.extra["retry_after"] > 0
    backend.close()


def test_memory_state_bounds_its_cache() -> None:
    memory = MemoryState()
    for index in range(MemoryState.MAX_CACHE_ENTRIES + 10):
        memory.cache_put("availability", str(index), 0, b"x", 60_000)
    assert memory.cache_get("availability", "0")[1] is None
    assert memory.cache_get("availability", str(MemoryState.MAX_CACHE_ENTRIES + 9))[1] == b"x"


class Renders:
    """A compute function that counts its calls."""

    def __init__(self, body: bytes, fresh_until: datetime | None = None) -> None:
        self.body = body
        self.fresh_until = fresh_until
        self.calls = 0

    def __call__(self) -> cache.Representation:
        self.calls += 1
        return cache.Representation(
            self.body, f'"{self.calls}"', "application/json", self.fresh_until
        )


NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_cached_computes_once_and_a_held_etag_skips_the_body(state: SharedState) -> None:
    render = Renders(b"[1,2,3]")
    first = cache.cached(state, "availability", "q", ttl_seconds=60, now=NOW, compute=render)
    again = cache.cached(state, "availability", "q", ttl_seconds=60, now=NOW, compute=render)
    held = cache.cached(
        state, "availability", "q", ttl_seconds=60, now=NOW, compute=render,
        held=lambda tag: tag == first.etag,
    )  # fmt: skip
    stale_copy = cache.cached(
        state, "availability", "q", ttl_seconds=60, now=NOW, compute=render,
        held=lambda tag: tag == '"an older one"',
    )  # fmt: skip
    assert render.calls == 1
    assert first.body == again.body == stale_copy.body == b"[1,2,3]"
    assert held.body is None
    assert held.etag == again.etag == first.etag


def test_cached_recomputes_after_a_bump_past_fresh_until_and_never_with_ttl_zero(
    state: SharedState,
) -> None:
    render = Renders(b"doc", fresh_until=NOW + timedelta(hours=1))
    for _ in range(2):
        cache.cached(state, "trust-list", "t", ttl_seconds=60, now=NOW, compute=render)
    assert render.calls == 1
    state.bump("trust-list")
    cache.cached(state, "trust-list", "t", ttl_seconds=60, now=NOW, compute=render)
    assert render.calls == 2
    later = NOW + timedelta(hours=1)
    cache.cached(state, "trust-list", "t", ttl_seconds=60, now=later, compute=render)
    assert render.calls == 3
    for _ in range(2):
        cache.cached(state, "trust-list", "u", ttl_seconds=0, now=NOW, compute=render)
    assert render.calls == 5


def test_after_a_failure_redis_calls_fail_at_once_until_a_ping_succeeds() -> None:
    """A stalled Redis must not hold every worker thread for its timeouts: after one
    failure the state answers 503 at once for a moment; the readiness ping still tries,
    and its success resumes service."""
    redis_or_skip()
    backend = RedisState(REDIS_URL, prefix=f"vaxx-test-{uuid.uuid4().hex[:12]}:")
    backend._paused_until = time.monotonic() + 60  # as after a failure
    with pytest.raises(SharedStateUnavailable, match="a moment ago"):
        backend.count("k", 1000)
    backend.ping()
    assert backend.count("k", 1000).count == 1
    backend.close()


def test_a_failure_pauses_calls_without_touching_the_network() -> None:
    backend = RedisState(f"redis://127.0.0.1:{_closed_port()}/0", timeout=0.2)
    with pytest.raises(SharedStateUnavailable, match="did not answer"):
        backend.count("k", 1000)
    with pytest.raises(SharedStateUnavailable, match="a moment ago"):
        backend.count("k", 1000)
    with pytest.raises(SharedStateUnavailable, match="did not answer"):
        backend.ping()  # the probe always tries
    backend.close()
