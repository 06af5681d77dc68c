"""The database being unreachable is an outage, not a bug: 503 with ``Retry-After``.

PostgreSQL restarting, a failover or a cut network surfaces as SQLAlchemy errors from
wherever the request touched the database (the token check, a route, a commit). Each is
translated to :class:`DatabaseUnavailable` so clients see a retryable 503 problem instead
of a 500; the engine's ``pool_pre_ping`` (vaxx.db) then replaces the dead pooled connections
when the database is back, so the service recovers without a restart.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa_exc

from vaxx.errors import ServiceUnavailable

RETRY_AFTER_SECONDS = 5
"""What a client is told to wait; a restarting PostgreSQL is usually back within seconds."""


class DatabaseUnavailable(ServiceUnavailable):
    """The database cannot be reached or refused to serve for now; retry later."""

    code = "database_unavailable"


def is_outage(error: BaseException) -> bool:
    """Whether ``error`` (or what it was raised from) says the database is unreachable.

    ``OperationalError`` covers refused and dropped connections, and on PostgreSQL also
    serialisation failures and cancelled statements: all worth a retry (on SQLite, only a
    busy or unusable database file). Other driver errors count when SQLAlchemy recognised
    a disconnect; a pool that stays exhausted is an outage too. Integrity and programming
    errors are bugs or conflicts, never this.
    """
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sa_exc.OperationalError) and isinstance(seen.orig, sqlite3.Error):
            return _sqlite_outage(seen.orig)
        if isinstance(seen, sa_exc.OperationalError | sa_exc.InterfaceError):
            return True
        if isinstance(seen, sa_exc.DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, sa_exc.TimeoutError):
            return True
        seen = seen.__cause__
    return False


_SQLITE_OUTAGES = ("locked", "busy", "unable to open", "disk i/o", "readonly", "full")


def _sqlite_outage(error: sqlite3.Error) -> bool:
    """sqlite3 raises OperationalError for SQL mistakes and missing tables too: only a busy,
    locked, unopenable or full database file is an outage."""
    message = str(error).lower()
    return any(reason in message for reason in _SQLITE_OUTAGES)


def unavailable() -> DatabaseUnavailable:
    """The problem to answer with; the detail names no host, port or driver message."""
    return DatabaseUnavailable(
        "the database is unavailable; retry later", retry_after=RETRY_AFTER_SECONDS
    )
