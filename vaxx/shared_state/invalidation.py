"""Invalidate cached responses when the data behind them is written.

A session listener notes which tables each transaction wrote (ORM flushes and bulk
``session.execute(insert/update/delete)`` alike) and, once the transaction has committed,
bumps the generation of every cache namespace those tables feed. The bump happens inside
``session.commit()``, before the writing request answers, so the very next request on any
replica computes afresh: a booking, a slot change, a stock movement or a partner push is
visible at once, not after the cache's TTL.

Writers outside a server process (the CLI) attach the same listener with
:func:`watch_writes` when they share Redis; without it their writes show once the cached
entries expire (``VAXX_AVAILABILITY_CACHE_SECONDS``).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from vaxx.shared_state.errors import SharedStateUnavailable
from vaxx.shared_state.state import SharedState

AVAILABILITY = "availability"
"""Open data and the SMART Scheduling Links feed."""
TRUST_LIST = "trust-list"
"""The signed trust list, its gateway shape and the revocation documents."""

_TOUCHED = "vaxx_shared_state_touched"
_log = logging.getLogger("vaxx.shared_state")


def namespaces_for(table: str, *, inserted: bool) -> set[str]:
    """The cache namespaces a write to ``table`` makes stale.

    Every booking and availability table feeds the open data (slots, appointments, stock,
    allocations, partner pushes and pulled feeds), except the feed's own change ledger,
    which is written while answering a read. New certificates do not change what the trust
    list publishes; a revocation (an update of the register) does.
    """
    if table.startswith("booking_") or (
        table.startswith("availability_") and table != "availability_publication"
    ):
        return {AVAILABILITY}
    if table.startswith("trust_") or (table == "issued_certificates" and not inserted):
        return {TRUST_LIST}
    return set()


def _touch(session: Session, table: Any, *, inserted: bool) -> None:
    name = getattr(table, "name", None)
    if isinstance(name, str):
        session.info.setdefault(_TOUCHED, set()).update(namespaces_for(name, inserted=inserted))


def _after_flush(session: Session, _context: Any) -> None:
    for rows, inserted in ((session.new, True), (session.dirty, False), (session.deleted, False)):
        for row in rows:
            _touch(session, getattr(row, "__table__", None), inserted=inserted)


def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _touch(state.session, table, inserted=state.is_insert)


def _after_soft_rollback(session: Session, _previous: SessionTransaction) -> None:
    if not session.in_transaction():
        session.info.pop(_TOUCHED, None)


def watch_writes(factory: sessionmaker[Session], state: SharedState) -> None:
    """Bump the cache generations of what each committed transaction of ``factory``'s
    sessions wrote."""

    def after_commit(session: Session) -> None:
        for namespace in sorted(session.info.pop(_TOUCHED, ())):
            try:
                state.bump(namespace)
            except SharedStateUnavailable as exc:
                # The write is committed; failing the request now would tell the client it
                # was not. Entries computed before it expire within the cache TTL.
                _log.error("could not invalidate the %s cache: %s", namespace, exc.detail)

    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_soft_rollback", _after_soft_rollback)
