"""The server-side trust registry: CSCAs per country, accepted DSCs, revoked kids.

Every write validates first (a DSC must chain to a stored CSCA of its country at ``now``),
records an audit row, and bumps the trust list's generation in the same transaction, so
the next read re-signs a list that includes it (:mod:`trust_list.publication`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from trust_list import gateway
from trust_list.chain import (
    ValidatedDsc,
    country_of,
    load_certificate,
    validate_csca,
    validate_dsc,
)
from trust_list.errors import DscConflict, TrustListImportInvalid
from trust_list.models import Csca, Publication, RevokedDsc, TrustedDsc
from vaxx import audit
from vaxx.errors import InputError

TRUST_LIST = "trust-list"
REVOCATIONS = "revocations"
REVOCATIONS_BLOOM = "revocations-bloom"


@dataclass
class ImportReport:
    """What an import did, item by item (kids in base64)."""

    accepted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)


def mark_changed(session: Session, name: str = TRUST_LIST) -> None:
    """Bump ``name``'s generation in SQL (``+ 1``), safe under concurrent writers."""
    session.execute(
        update(Publication)
        .where(Publication.name == name)
        .values(generation=Publication.generation + 1)
    )


def force_resign(session: Session) -> None:
    """Make every published document stale, e.g. after the signing key changed."""
    session.execute(
        update(Publication).values(generation=Publication.generation + 1, source_fingerprint=None)
    )


def add_csca(
    session: Session, data: bytes, *, now: datetime, actor: str, country: str | None = None
) -> Csca:
    """Trust a CSCA (PEM or DER) for its country after checking it on its own."""
    certificate = load_certificate(data)
    country = (country or country_of(certificate) or "").upper()
    validate_csca(certificate, country, now)
    der = certificate.public_bytes(Encoding.DER)
    thumbprint = hashlib.sha256(der).hexdigest()
    existing = session.scalar(select(Csca).where(Csca.thumbprint == thumbprint))
    if existing is not None:
        return existing
    csca = Csca(
        country=country,
        thumbprint=thumbprint,
        subject=certificate.subject.rfc4514_string(),
        der=der,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        added_at=now,
    )
    session.add(csca)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="trust.csca_added",
        target=thumbprint,
        details={"country": country, "subject": csca.subject},
    )
    mark_changed(session)
    return csca


@dataclass
class _Known:
    """What a batch of DSC additions checks against, read once per batch, not per DSC."""

    cscas: dict[str, list[x509.Certificate]]
    revoked: set[str]
    thumbprints: set[str]

    @classmethod
    def read(cls, session: Session) -> _Known:
        cscas: dict[str, list[x509.Certificate]] = {}
        for csca in all_cscas(session):
            cscas.setdefault(csca.country, []).append(load_certificate(csca.der))
        return cls(
            cscas=cscas,
            revoked=set(session.scalars(select(RevokedDsc.kid))),
            thumbprints=set(session.scalars(select(TrustedDsc.thumbprint))),
        )


def add_dsc(
    session: Session,
    certificate: x509.Certificate,
    *,
    country: str,
    source: str,
    now: datetime,
    actor: str,
) -> tuple[TrustedDsc, bool]:
    """Accept a DSC that chains to a stored CSCA of ``country``; (row, newly added)."""
    row = _accept(session, _Known.read(session), certificate, country, source, now, actor)
    if row is None:
        thumbprint = hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()
        return session.scalars(
            select(TrustedDsc).where(TrustedDsc.thumbprint == thumbprint)
        ).one(), False
    mark_changed(session)
    return row, True


def _accept(
    session: Session,
    known: _Known,
    certificate: x509.Certificate,
    country: str,
    source: str,
    now: datetime,
    actor: str,
) -> TrustedDsc | None:
    """Validate and add one DSC (None when already stored); the caller marks the change."""
    accepted = validate_dsc(certificate, known.cscas.get(country.upper(), []), country, now)
    kid = base64.b64encode(accepted.kid).decode()
    if kid in known.revoked:
        raise DscConflict(f"DSC {kid} is revoked and cannot be trusted again")
    thumbprint = hashlib.sha256(accepted.der).hexdigest()
    if thumbprint in known.thumbprints:
        return None
    known.thumbprints.add(thumbprint)
    row = _dsc_row(accepted, kid, thumbprint, source, now)
    session.add(row)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="trust.dsc_added",
        target=kid,
        details={"country": accepted.country, "source": source, "types": row.certificate_types},
    )
    return row


def import_gateway_list(
    session: Session, data: bytes, *, now: datetime, actor: str
) -> ImportReport:
    """Import the DSCs of an EU gateway-style list; each must chain to a stored CSCA."""
    report = ImportReport()
    known = _Known.read(session)
    for item in gateway.parse_trust_list(data):
        if item.certificate_type != "DSC":
            report.skipped.append(item.kid)
            continue
        try:
            certificate = load_certificate(item.der)
            row = _accept(session, known, certificate, item.country, "import", now, actor)
        except (InputError, DscConflict) as exc:
            report.rejected[item.kid] = f"{exc.code}: {exc.detail}"
            continue
        (report.accepted if row is not None else report.unchanged).append(item.kid)
    if report.accepted:
        mark_changed(session)
    return report


def revoke_dsc(session: Session, kid: str, *, reason: str, now: datetime, actor: str) -> RevokedDsc:
    """Withdraw trust from a kid: its DSCs leave the list, the kid joins ``revoked_kids``."""
    _require_kid(kid)
    existing = session.get(RevokedDsc, kid)
    if existing is not None:
        return existing
    revoked = RevokedDsc(kid=kid, reason=reason, revoked_at=now)
    session.add(revoked)
    audit.record(
        session,
        at=now,
        actor=actor,
        action="trust.dsc_revoked",
        target=kid,
        details={"reason": reason},
    )
    mark_changed(session)
    return revoked


def all_cscas(session: Session) -> list[Csca]:
    return list(session.scalars(select(Csca).order_by(Csca.country, Csca.id)))


def trusted_dscs(session: Session) -> list[TrustedDsc]:
    """DSCs currently trusted: stored and not revoked, ordered by kid."""
    revoked = select(RevokedDsc.kid)
    query = select(TrustedDsc).where(TrustedDsc.kid.not_in(revoked))
    return list(session.scalars(query.order_by(TrustedDsc.kid, TrustedDsc.id)))


def revoked_kids(session: Session) -> list[str]:
    return list(session.scalars(select(RevokedDsc.kid).order_by(RevokedDsc.kid)))


def _require_kid(kid: str) -> None:
    try:
        raw = base64.b64decode(kid, validate=True)
    except binascii.Error as exc:
        raise TrustListImportInvalid(f"kid {kid!r} is not base64") from exc
    if len(raw) != 8:
        raise TrustListImportInvalid(f"kid {kid!r} is not 8 bytes")


def _dsc_row(
    accepted: ValidatedDsc, kid: str, thumbprint: str, source: str, now: datetime
) -> TrustedDsc:
    return TrustedDsc(
        kid=kid,
        country=accepted.country,
        thumbprint=thumbprint,
        certificate_types=sorted(accepted.certificate_types),
        source=source,
        der=accepted.der,
        not_before=accepted.certificate.not_valid_before_utc,
        not_after=accepted.certificate.not_valid_after_utc,
        added_at=now,
    )


def as_items(rows: Iterable[TrustedDsc]) -> list[dict[str, object]]:
    """The DSC entries of the signed trust list."""
    return [
        {
            "kid": row.kid,
            "country": row.country,
            "certificate_types": list(row.certificate_types),
            "not_before": _iso(row.not_before),
            "not_after": _iso(row.not_after),
            "thumbprint": row.thumbprint,
            "raw_data": base64.b64encode(row.der).decode(),
        }
        for row in rows
    ]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
