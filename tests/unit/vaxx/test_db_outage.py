"""Which database errors are an outage (503, retry) and which are bugs (500)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy import exc as sa_exc

from vaxx.db_outage import is_outage


def _wrapped(kind: type[sa_exc.DBAPIError], orig: Exception, **kwargs: bool) -> Exception:
    return kind("SELECT 1", {}, orig, **kwargs)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sa_exc.OperationalError, psycopg.OperationalError("connection refused")),
        _wrapped(sa_exc.InterfaceError, psycopg.InterfaceError("the connection is closed")),
        _wrapped(
            sa_exc.DatabaseError,
            psycopg.DatabaseError("SSL connection has been closed"),
            connection_invalidated=True,
        ),
        _wrapped(sa_exc.OperationalError, sqlite3.OperationalError("database is locked")),
        _wrapped(sa_exc.OperationalError, sqlite3.OperationalError("unable to open database file")),
        sa_exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
    ],
    ids=["pg-refused", "pg-closed", "invalidated", "sqlite-locked", "sqlite-unopenable", "pool"],
)
def test_an_unreachable_or_busy_database_is_an_outage(error: Exception) -> None:
    assert is_outage(error)


def test_an_outage_raised_from_is_still_one() -> None:
    error = RuntimeError("while issuing")
    error.__cause__ = _wrapped(sa_exc.OperationalError, psycopg.OperationalError("gone"))
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        _wrapped(sa_exc.IntegrityError, psycopg.IntegrityError("duplicate key")),
        _wrapped(sa_exc.ProgrammingError, psycopg.ProgrammingError("syntax error")),
        _wrapped(sa_exc.OperationalError, sqlite3.OperationalError("no such table: x")),
        _wrapped(sa_exc.OperationalError, sqlite3.OperationalError('near "SELEC": syntax error')),
        ValueError("not a database error"),
    ],
    ids=["integrity", "pg-syntax", "sqlite-no-table", "sqlite-syntax", "other"],
)
def test_a_mistake_is_not_an_outage(error: Exception) -> None:
    assert not is_outage(error)
