"""The database limiter on SQLite and PostgreSQL: the same rules as the in-process one, shared
by every session (every replica), and a concurrent first insert does not fail the request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from wallet_api.errors import RateLimited
from wallet_api.limits import DatabaseLimiter, LimitPolicy
from wallet_api.models import AttemptCounter

POLICY = LimitPolicy(max_failures=3, window=timedelta(minutes=10), lockout=timedelta(minutes=5))


def test_failures_from_separate_sessions_add_up_and_lock(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    for _ in range(3):
        with session_factory() as session:
            DatabaseLimiter(session, POLICY).failure("addr:x", now=clock())
            session.commit()
    with session_factory() as session:
        limiter = DatabaseLimiter(session, POLICY)
        with pytest.raises(RateLimited) as raised:
            limiter.check("addr:x", now=clock() + timedelta(minutes=1))
        assert raised.value.retry_after == 4 * 60
        limiter.check("addr:y", now=clock())
        limiter.check("addr:x", now=clock() + POLICY.lockout)


def test_reset_and_window_expiry(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    with session_factory() as session:
        limiter = DatabaseLimiter(session, POLICY)
        limiter.failure("k", now=clock())
        limiter.failure("k", now=clock())
        limiter.failure("k", now=clock() + POLICY.window)  # a new window: count 1
        limiter.check("k", now=clock() + POLICY.window)
        limiter.reset("k")
        session.commit()
        assert session.get(AttemptCounter, "k") is None


def test_an_insert_that_lost_the_race_uses_the_winning_row(
    session_factory: sessionmaker[Session], clock: MutableClock
) -> None:
    with session_factory() as loser:
        assert DatabaseLimiter(loser, POLICY)._row("k") is None  # the loser saw no row...
        with session_factory() as winner:
            DatabaseLimiter(winner, POLICY).failure("k", now=clock())
            winner.commit()
        row = DatabaseLimiter(loser, POLICY)._insert("k", clock())  # ...then inserts
        assert row.failures == 1
        DatabaseLimiter(loser, POLICY).failure("k", now=clock())
        loser.commit()
    with session_factory() as session:
        counter = session.get(AttemptCounter, "k")
        assert counter is not None
        assert counter.failures == 2
