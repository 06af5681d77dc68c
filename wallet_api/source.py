"""What the wallet needs from the issuer's register, as a narrow interface.

The wallet never writes certificates; it reads them through a :class:`CertificateSource`
(get one by id, render its QR and paper forms). :mod:`wallet_api.issuer_source` adapts
the issuer's register; tests may use any object with these methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy.orm import Session


class HolderStatus(StrEnum):
    """What a holder is told about a certificate right now."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class HeldCertificate:
    """One issued certificate as the register keeps it."""

    id: str
    uvci: str
    kind: str
    hc1: str
    issued_at: datetime
    expires_at: datetime
    revoked: bool
    superseded_by: str | None
    bundle: dict[str, Any]
    """The Taiwan IG FHIR Bundle the certificate was issued from."""
    payload: dict[str, Any]
    """The signed EU DCC payload (JSON form)."""

    def status(self, now: datetime) -> HolderStatus:
        """Superseded beats revoked (a re-issue revokes the old one), revoked beats expired."""
        if self.superseded_by is not None:
            return HolderStatus.SUPERSEDED
        if self.revoked:
            return HolderStatus.REVOKED
        if now >= self.expires_at:
            return HolderStatus.EXPIRED
        return HolderStatus.VALID


class CertificateSource(Protocol):
    def get(self, session: Session, certificate_id: str) -> HeldCertificate | None:
        """The certificate with this register id, or None."""

    def qr_png(self, certificate: HeldCertificate) -> bytes: ...

    def qr_svg(self, certificate: HeldCertificate) -> str: ...

    def pdf(self, certificate: HeldCertificate) -> bytes:
        """The bilingual (zh-TW + en) paper certificate."""

    def fhir(self, certificate: HeldCertificate) -> dict[str, Any]:
        """The Taiwan IG FHIR Bundle that describes this certificate."""

    def fields(self, certificate: HeldCertificate) -> list[tuple[str, str, str]]:
        """(zh-TW label, en label, value) of each field a person checks by eye."""
