"""The issuer's register as the wallet's :class:`~wallet_api.source.CertificateSource`.

Rendering reuses the issuer's own QR and paper functions, so the wallet's QR and PDF are
the very ones the issuer hands out (same error correction, same layout, same fonts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from issuer import card, paper, qr
from issuer.models import STATUS_REVOKED, IssuedCertificate
from wallet_api.source import HeldCertificate


@dataclass(frozen=True)
class IssuerRegister:
    pdf_font: Path | None = None
    """``VAXX_ISSUER_PDF_FONT``: the CJK font of the paper certificate."""

    def get(self, session: Session, certificate_id: str) -> HeldCertificate | None:
        row = session.get(IssuedCertificate, certificate_id)
        if row is None:
            return None
        return HeldCertificate(
            id=row.id,
            uvci=row.uvci,
            kind=row.kind,
            hc1=row.hc1,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            revoked=row.status == STATUS_REVOKED or row.revoked_at is not None,
            superseded_by=row.superseded_by,
            bundle=row.bundle,
            payload=row.payload,
        )

    def qr_png(self, certificate: HeldCertificate) -> bytes:
        return qr.png(certificate.hc1)

    def qr_svg(self, certificate: HeldCertificate) -> str:
        return qr.svg(certificate.hc1)

    def pdf(self, certificate: HeldCertificate) -> bytes:
        return paper.render(
            kind=certificate.kind,
            fields=card.fields(certificate.payload, certificate.bundle),
            hc1=certificate.hc1,
            fonts=paper.find_fonts(self.pdf_font),
            created_at=certificate.issued_at,
        )

    def fhir(self, certificate: HeldCertificate) -> dict[str, Any]:
        return certificate.bundle

    def fields(self, certificate: HeldCertificate) -> list[tuple[str, str, str]]:
        """(zh-TW label, en label, value) of each field a person checks by eye."""
        return [(f.zh, f.en, f.value) for f in card.fields(certificate.payload, certificate.bundle)]
