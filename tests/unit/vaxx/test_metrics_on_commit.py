"""Domain counters move when the transaction that did the work commits, and only then."""

from __future__ import annotations

import doctest
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from vaxx import metrics
from vaxx.metrics import count_on_commit


@pytest.fixture
def factory() -> Iterator[sessionmaker[Session]]:
    engine = create_engine("sqlite://")
    yield sessionmaker(engine)
    engine.dispose()


def test_counted_on_commit_only(factory: sessionmaker[Session]) -> None:
    counted: list[str] = []
    with factory() as session:
        session.execute(text("SELECT 1"))
        count_on_commit(session, lambda: counted.append("first"))
        assert counted == []
        session.commit()
        assert counted == ["first"]
        session.commit()  # an empty later commit does not count again
        assert counted == ["first"]


def test_a_rollback_drops_what_was_pending(factory: sessionmaker[Session]) -> None:
    counted: list[str] = []
    with factory() as session:
        session.execute(text("SELECT 1"))
        count_on_commit(session, lambda: counted.append("lost"))
        session.rollback()
        session.execute(text("SELECT 1"))
        count_on_commit(session, lambda: counted.append("kept"))
        session.commit()
    assert counted == ["kept"]


def test_a_savepoint_rollback_keeps_the_outer_transactions_counts(
    factory: sessionmaker[Session],
) -> None:
    counted: list[str] = []
    with factory() as session:
        session.execute(text("SELECT 1"))
        count_on_commit(session, lambda: counted.append("outer"))
        savepoint = session.begin_nested()
        savepoint.rollback()
        session.commit()
    assert counted == ["outer"]


def test_the_package_example_runs() -> None:
    result = doctest.testmod(metrics)
    assert result.attempted > 0
    assert result.failed == 0
