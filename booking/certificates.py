"""Signing the certificate of an administered dose through the issuer.

The issuer signs in the caller's transaction, so the dose, its Immunization Bundle and
its certificate commit together. A site whose setting is off gets no certificate at
recording time; staff ask for it later with :func:`issue_later`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from booking.administration import Issue
from booking.errors import AlreadyExists, BookingInputError
from booking.models import Administration
from issuer import service as issuer_service
from issuer.keys import KeyStore
from issuer.models import IssuedCertificate
from vaxx import audit
from vaxx.db import get_by_id
from vaxx.settings import Settings


def issuer(
    keys: KeyStore,
    settings: Settings,
    *,
    now: datetime,
    actor: str,
    on_issued: Callable[[Session, IssuedCertificate], None] | None = None,
) -> Issue:
    """An :data:`Issue` that signs with the issuer's keys and keeps the certificate's summary.

    ``on_issued`` runs in the dose's transaction for the new certificate (the holder's
    wallet claim code); nothing it returns is stored with the dose."""
    ctx = issuer_service.Issuing(
        keys=keys, settings=settings, now=now, actor=actor, on_issued=on_issued
    )

    def issue(session: Session, bundle: dict[str, Any]) -> dict[str, Any]:
        certificate = issuer_service.issue(session, bundle, ctx)
        return {
            "id": certificate.id,
            "uvci": certificate.uvci,
            "issued_at": certificate.issued_at.isoformat(),
            "expires_at": certificate.expires_at.isoformat(),
            "hc1": certificate.hc1,
        }

    return issue


def issue_later(
    session: Session, record: Administration, issue: Issue, *, now: datetime, actor: str
) -> Administration:
    """Sign the certificate of a dose recorded without one."""
    if record.certificate is not None:
        raise AlreadyExists(
            f"dose {record.id} already has certificate {record.certificate['uvci']}"
        )
    record.certificate = issue(session, record.bundle)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="booking.dose.certificate",
        target=str(record.id),
        details={"uvci": record.certificate["uvci"]},
    )
    return record


def get_administration(session: Session, administration_id: int) -> Administration:
    record = get_by_id(session, Administration, administration_id)
    if record is None:
        raise BookingInputError(f"no administered dose has id {administration_id}")
    return record
