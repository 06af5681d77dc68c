"""The in-process limiter (the database one runs the same cases in integration)."""

from datetime import UTC, datetime, timedelta

import pytest

from wallet_api.errors import RateLimited
from wallet_api.limits import LimitPolicy, MemoryLimiter

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = LimitPolicy(max_failures=3, window=timedelta(minutes=10), lockout=timedelta(minutes=5))


def test_locks_at_the_limit_and_refuses_until_lockout_ends() -> None:
    limiter = MemoryLimiter(POLICY)
    for _ in range(2):
        limiter.failure("addr:x", now=T0)
        limiter.check("addr:x", now=T0)
    limiter.failure("addr:x", now=T0)
    with pytest.raises(RateLimited, match="too many failed attempts for addr") as raised:
        limiter.check("addr:x", now=T0 + timedelta(minutes=4))
    assert raised.value.retry_after == 60
    limiter.check("addr:y", now=T0)
    limiter.check("addr:x", now=T0 + timedelta(minutes=5))


def test_failures_outside_the_window_do_not_add_up() -> None:
    limiter = MemoryLimiter(POLICY)
    for minute in (0, 11, 22, 33):
        limiter.failure("k", now=T0 + timedelta(minutes=minute))
        limiter.failure("k", now=T0 + timedelta(minutes=minute))
    limiter.check("k", now=T0 + timedelta(minutes=34))


def test_reset_forgets() -> None:
    limiter = MemoryLimiter(POLICY)
    limiter.failure("k", now=T0)
    limiter.failure("k", now=T0)
    limiter.reset("k")
    limiter.failure("k", now=T0)
    limiter.check("k", now=T0)
