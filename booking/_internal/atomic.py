"""Database plumbing for counters that must stay right under concurrency.

Every change to a balance or a booking count is one ``UPDATE ... SET n = n + k WHERE
<the invariant still holds>``: the database serialises writers on the row, re-checks
the condition, and reports through the row count whether it applied. Nothing is read
into Python, compared and written back (that would race).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Update, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vaxx.db import Base
from vaxx.errors import VaxxError

ModelT = TypeVar("ModelT", bound=Base)


def apply(session: Session, statement: Update) -> bool:
    """Run a conditional UPDATE; ``True`` when exactly one row changed.

    Loaded objects of the updated table are expired, so the next read sees the database.
    """
    result = session.execute(statement.execution_options(synchronize_session=False))
    table = getattr(statement.table, "name", None)
    for loaded in list(session.identity_map.values()):
        if getattr(type(loaded), "__tablename__", None) == table:
            session.expire(loaded)
    return cast(CursorResult[Any], result).rowcount == 1


def get_or_create(session: Session, model: type[ModelT], **key: Any) -> ModelT:
    """The row of ``model`` with unique ``key``, inserted (counts at zero) when missing.

    ``INSERT ... ON CONFLICT DO NOTHING`` lets a concurrent creator win without failing
    the transaction (a savepoint would not do: pysqlite commits an outermost savepoint).
    """
    query = select(model).filter_by(**key)
    found = session.scalars(query).one_or_none()
    if found is not None:
        return found
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    defaults = {
        column.name: column.default.arg
        for column in model.__table__.columns
        if column.default is not None and not callable(column.default.arg)
    }
    session.execute(insert(model).values(**(defaults | key)).on_conflict_do_nothing())
    return session.scalars(query).one()


def unique_insert(session: Session, conflict: VaxxError) -> None:
    """Flush a new row; a unique-key clash (a concurrent twin) becomes ``conflict``.

    The whole transaction is rolled back then: the request that hit the clash fails.
    """
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise conflict from None
