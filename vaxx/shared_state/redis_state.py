"""The shared state in Redis, for several replicas (``VAXX_REDIS_URL``).

Every operation is one round trip and atomic on the server: the rate-limit counter is a
Lua script (INCR, then PEXPIRE on a window's first hit), a lock is ``SET NX PX`` with a
random owner token and is released by a compare-and-delete script, and a cache read is one
``MGET`` of the namespace's generation and the entry (tagged with the generation it was
computed under). Timeouts are short and there is a single retry (a pooled connection
broken by a Redis restart is replaced on it), so a dead Redis costs a request about a
second at most and answers 503, never a hung worker; redis-py reconnects by itself when
Redis returns. After a failure, calls fail at once for :data:`BREAKER_SECONDS` instead of
each waiting out the timeouts (a stalled Redis would otherwise hold every worker thread);
the readiness check's ping always tries, and its success ends that pause. All keys start
with ``VAXX_REDIS_PREFIX`` so several deployments (or test runs) can share one Redis.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from vaxx.shared_state.errors import SharedStateUnavailable
from vaxx.shared_state.state import WindowCount

_COUNT = """
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
T = TypeVar("T")
BREAKER_SECONDS = 1.0


class RedisState:
    """:class:`~vaxx.shared_state.state.SharedState` in Redis."""

    local = False

    def __init__(self, url: str, *, prefix: str = "vaxx:", timeout: float = 0.5) -> None:
        self.prefix = prefix
        self._redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        self._count = self._redis.register_script(_COUNT)
        self._release = self._redis.register_script(_RELEASE)
        self._paused_until = 0.0

    def _call(self, operation: Callable[[], T], *, probe: bool = False) -> T:
        if not probe and time.monotonic() < self._paused_until:
            raise SharedStateUnavailable("the shared state (Redis) failed a moment ago")
        try:
            result = operation()
        except redis.RedisError as exc:
            self._paused_until = time.monotonic() + BREAKER_SECONDS
            raise SharedStateUnavailable(
                f"the shared state (Redis) did not answer: {type(exc).__name__}"
            ) from exc
        if probe:
            self._paused_until = 0.0
        return result

    def count(self, key: str, window_ms: int) -> WindowCount:
        count, ttl = self._call(
            lambda: self._count(keys=[f"{self.prefix}rl:{key}"], args=[window_ms])
        )
        return WindowCount(int(count), max(0, int(ttl)))

    def acquire(self, key: str, ttl_ms: int) -> str | None:
        token = secrets.token_hex(16)
        taken = self._call(
            lambda: self._redis.set(f"{self.prefix}lock:{key}", token, nx=True, px=ttl_ms)
        )
        return token if taken else None

    def release(self, key: str, token: str) -> None:
        self._call(lambda: self._release(keys=[f"{self.prefix}lock:{key}"], args=[token]))

    def _keys(self, namespace: str, key: str) -> tuple[str, str]:
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        return f"{self.prefix}gen:{namespace}", f"{self.prefix}cache:{namespace}:{digest}"

    def cache_get(self, namespace: str, key: str) -> tuple[int, bytes | None]:
        generation_key, entry_key = self._keys(namespace, key)
        found: list[Any] = self._call(lambda: self._redis.mget([generation_key, entry_key]))
        generation = int(found[0] or 0)
        entry: bytes | None = found[1]
        if entry is None:
            return generation, None
        tag, _, value = entry.partition(b":")
        return generation, value if tag == str(generation).encode() else None

    def cache_put(
        self, namespace: str, key: str, generation: int, value: bytes, ttl_ms: int
    ) -> None:
        _, entry_key = self._keys(namespace, key)
        tagged = str(generation).encode() + b":" + value
        self._call(lambda: self._redis.set(entry_key, tagged, px=ttl_ms))

    def bump(self, namespace: str) -> None:
        self._call(lambda: self._redis.incr(f"{self.prefix}gen:{namespace}"))

    def ping(self) -> None:
        self._call(self._redis.ping, probe=True)

    def close(self) -> None:
        self._redis.close()
