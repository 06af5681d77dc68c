"""Database engine, sessions and migrations.

One code path for SQLite (the embedded default) and PostgreSQL (production, shared by
several stateless replicas). The schema is owned by Alembic: :func:`upgrade` applies the
migrations shipped in ``vaxx/migrations``; nothing calls ``create_all``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import BigInteger, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from vaxx.errors import InputError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table; constraint names are stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite drops the offset; this type refuses naive values on the way in and puts
    UTC back on the way out, so application code only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file (and its directory) owner-only before SQLite does it 0644."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


Row = TypeVar("Row")
ROW_ID_MAX = 2**63 - 1
"""The largest BIGINT key (and the largest SQLite integer)."""
_INTEGER_MAX = 2**31 - 1
"""The largest PostgreSQL INTEGER key."""


def get_by_id(session: Session, model: type[Row], row_id: int) -> Row | None:
    """``session.get`` for an integer id that came from outside: an id the key column cannot
    hold names no row (the drivers would raise OverflowError / NumericValueOutOfRange, a 500).
    INTEGER keys are 32-bit on PostgreSQL, so they are held to that range on every backend."""
    key_type = sa_inspect(model).primary_key[0].type
    largest = ROW_ID_MAX if isinstance(key_type, BigInteger) else _INTEGER_MAX
    if not -largest - 1 <= row_id <= largest:
        return None
    return session.get(model, row_id)


def _refuse_nul_text(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, executemany: bool
) -> None:
    """PostgreSQL text cannot hold NUL; say so as invalid input instead of a driver DataError."""
    for row in parameters if executemany else (parameters,):
        values = row.values() if isinstance(row, Mapping) else (row or ())
        if any(isinstance(value, str) and "\x00" in value for value in values):
            raise InputError("text with a NUL character (U+0000) cannot be stored")


def make_engine(url: str, *, statement_timeout_seconds: int = 0) -> Engine:
    """An engine for ``url`` with the per-backend settings vaxx relies on.

    ``statement_timeout_seconds`` (PostgreSQL) bounds each statement, lock waits included:
    a query stuck behind a forgotten lock or a sick server is cancelled and the request
    answers 503 (``vaxx.db_outage``) instead of holding a worker thread for ever. The
    server's request path sets it; migrations and the CLI leave it off, since building an
    index on a large table may rightly take longer.
    """
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # pool_pre_ping replaces the pool's dead connections once PostgreSQL is back (a restart
    # or failover needs no vaxx restart); the connect timeout makes an unreachable server a
    # prompt 503 and a failing /readyz instead of requests hanging on the OS's TCP timeout.
    query = make_url(url).query
    connect_args: dict[str, object] = {} if "connect_timeout" in query else {"connect_timeout": 5}
    if statement_timeout_seconds > 0 and "options" not in query:
        connect_args["options"] = f"-c statement_timeout={statement_timeout_seconds * 1000}"
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args=connect_args
    )
    event.listen(engine, "before_cursor_execute", _refuse_nul_text)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Bring the database at ``url`` to ``revision`` (every domain branch by default); safe to
    run on every start."""
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
    command.upgrade(alembic_config(url), revision)
