"""Database plumbing for counters that must stay right under concurrency.

Every change to a balance or a booking count is one ``UPDATE ... SET n = n + k WHERE
<the invariant still holds>``: the database serialises writers on the row, re-checks
the condition, and reports through the row count whether it applied. Nothing is read
into Python, compared and written back (that would race).
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Update, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vaxx.db import Base

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

    The insert runs in a savepoint, so a concurrent creator's row wins cleanly.
    """
    query = select(model).filter_by(**key)
    found = session.scalars(query).one_or_none()
    if found is not None:
        return found
    try:
        with session.begin_nested():
            row = model(**key)
            session.add(row)
        return row
    except IntegrityError:
        return session.scalars(query).one()
