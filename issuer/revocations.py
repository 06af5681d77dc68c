"""What trust_list needs to publish revocations of individual certificates.

EU revocation (``../shared/standards/README.md`` section 4.4) exchanges the first 16 bytes
of SHA-256 hashes of three kinds; :class:`Revocation` computes all three from the register.

>>> from datetime import UTC, datetime
>>> r = Revocation("id", "URN:UVCI:01:TW:X#Y", "TW", b"kidkidki", -7, bytes(64),
...                datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
...                "revoked", "error")
>>> r.signature_hash.hex()[:8], len(r.uci_hash)
('66687aad', 32)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.models import STATUS_REVOKED, STATUS_SUPERSEDED, IssuedCertificate

ES256 = -7
EXCHANGED_BYTES = 16
"""The gateway exchanges only the first 128 bits of each hash."""


@dataclass(frozen=True)
class Revocation:
    """One revoked (or superseded) certificate: what a revocation list entry is made from."""

    certificate_id: str
    uvci: str
    country: str
    """The ``co`` of the certificate's entry (what verifiers hash for COUNTRYCODEUCI)."""
    kid: bytes
    alg: int
    signature: bytes
    revoked_at: datetime
    expires_at: datetime
    status: str
    reason: str | None

    @property
    def signature_hash(self) -> bytes:
        """SIGNATURE: SHA-256 of r alone for ECDSA (r||s is malleable in s), else the whole."""
        signed = self.signature[:32] if self.alg == ES256 else self.signature
        return hashlib.sha256(signed).digest()

    @property
    def uci_hash(self) -> bytes:
        """UCI (deprecated, still served): SHA-256 of the UTF-8 ``ci``, checksum included."""
        return hashlib.sha256(self.uvci.encode()).digest()

    @property
    def country_uci_hash(self) -> bytes:
        """COUNTRYCODEUCI (deprecated, still served): SHA-256 of ``co`` + ``ci``."""
        return hashlib.sha256((self.country + self.uvci).encode()).digest()


def revocations_since(session: Session, since: datetime | None = None) -> list[Revocation]:
    """Certificates revoked or superseded after ``since`` (all when None), oldest first."""
    query = (
        select(IssuedCertificate)
        .where(IssuedCertificate.status.in_([STATUS_REVOKED, STATUS_SUPERSEDED]))
        .order_by(IssuedCertificate.revoked_at, IssuedCertificate.id)
    )
    if since is not None:
        query = query.where(IssuedCertificate.revoked_at > since)
    return [_revocation(c) for c in session.scalars(query)]


def _revocation(certificate: IssuedCertificate) -> Revocation:
    assert certificate.revoked_at is not None  # noqa: S101 - set with every such status
    return Revocation(
        certificate_id=certificate.id,
        uvci=certificate.uvci,
        country=_entry_country(certificate),
        kid=certificate.kid,
        alg=certificate.alg,
        signature=certificate.signature,
        revoked_at=certificate.revoked_at,
        expires_at=certificate.expires_at,
        status=certificate.status,
        reason=certificate.revocation_reason,
    )


def _entry_country(certificate: IssuedCertificate) -> str:
    for group in ("v", "t", "r"):
        entries = certificate.payload.get(group)
        if entries:
            return str(entries[0]["co"])
    return certificate.country
