"""The append-only audit log: who did what, when.

Rows are only ever inserted (the migration installs triggers that refuse UPDATE and
DELETE on both SQLite and PostgreSQL). Callers write the audit row in the same
transaction as the change it records, so neither exists without the other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from vaxx.db import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit row to ``session``; it commits with the caller's transaction."""
    event = AuditEvent(at=at, actor=actor, action=action, target=target, details=details or {})
    session.add(event)
    return event


def recent(
    session: Session, *, limit: int = 100, before_id: int | None = None, action: str | None = None
) -> list[AuditEvent]:
    """Newest first; page with ``before_id`` (the smallest id of the previous page)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))
