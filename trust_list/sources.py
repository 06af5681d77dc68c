"""Where the registry's own data comes from: the issuer's key store and its register.

The issuer package is upstream of trust_list (profiles <- issuer <- trust_list), so these
adapters call it directly: :func:`issuer.revocations.revocations_since` gives items with
``uvci``, ``country``, ``kid``, ``signature`` and ``revoked_at`` (the
:class:`~trust_list.revocation.RevokedCertificate` protocol), revoked strictly after
``since``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy.orm import Session

from issuer.keys import open_store
from issuer.revocations import revocations_since
from trust_list import service
from trust_list.revocation import RevokedCertificate
from vaxx.settings import Settings


def issuer_revocations(session: Session, since: datetime | None) -> Iterable[RevokedCertificate]:
    """Certificates revoked (or superseded) after ``since`` in the issuer's register (all of
    them when ``since`` is None)."""
    return revocations_since(session, since)


def sync_issuer_keys(
    session: Session, settings: Settings, *, now: datetime, actor: str
) -> list[str]:
    """Trust our own CSCA and every DSC of the issuer's key store; returns newly added kids.

    Our DSCs go through the same chain validation as foreign ones.
    """
    store = open_store(settings)
    if not store.exists():
        return []
    csca = store.csca_certificate
    service.add_csca(
        session,
        csca.public_bytes(Encoding.DER),
        now=now,
        actor=actor,
        country=settings.issuing_country,
    )
    added = []
    for dsc in store.dscs():
        row, new = service.add_dsc(
            session,
            dsc.certificate,
            country=settings.issuing_country,
            source="issuer",
            now=now,
            actor=actor,
        )
        if new:
            added.append(row.kid)
    return added
