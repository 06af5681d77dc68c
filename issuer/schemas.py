"""Request and response bodies of the issuer API (the register's public face: no
signature bytes, no source Bundle, no keys)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from issuer.models import IssuedCertificate

if TYPE_CHECKING:
    from wallet_api.service import ClaimSlip


class CertificateLinks(BaseModel):
    qr_png: str
    qr_svg: str
    pdf: str
    fhir: str


class CertificatePublic(BaseModel):
    id: str
    uvci: str
    type: str = Field(description="vaccination, test or recovery")
    status: str = Field(description="valid, revoked or superseded")
    hc1: str = Field(description="The HC1: string the QR code carries")
    kid: str = Field(description="Key id of the signing DSC, base64")
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    superseded_by: str | None = None
    links: CertificateLinks
    claim_code: str | None = Field(
        default=None,
        description="The holder's wallet claim code (with the birth date it fetches the "
        "certificate). Only in the answer that issued the certificate: never on a replay or a read",
    )
    claim_code_expires_at: datetime | None = None

    @classmethod
    def of(
        cls, certificate: IssuedCertificate, links: CertificateLinks, slip: ClaimSlip | None = None
    ) -> CertificatePublic:
        return cls(
            id=certificate.id,
            uvci=certificate.uvci,
            type=certificate.kind,
            status=certificate.status,
            hc1=certificate.hc1,
            kid=base64.b64encode(certificate.kid).decode(),
            issued_at=certificate.issued_at,
            expires_at=certificate.expires_at,
            revoked_at=certificate.revoked_at,
            revocation_reason=certificate.revocation_reason,
            superseded_by=certificate.superseded_by,
            links=links,
            claim_code=slip.code if slip else None,
            claim_code_expires_at=slip.expires_at if slip else None,
        )


class RevokeRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="Why, for the audit trail")


class BatchRequest(BaseModel):
    bundles: list[Any] = Field(
        description="FHIR Bundles, one per certificate (a malformed item fails alone)"
    )


class BatchResult(BaseModel):
    index: int
    status: int = Field(description="201 when issued, else the problem's status")
    replayed: bool = Field(
        default=False,
        description="An earlier request with the same Idempotency-Key issued this certificate",
    )
    certificate: CertificatePublic | None = None
    problem: dict[str, Any] | None = None


class BatchResponse(BaseModel):
    issued: int = Field(description="Items answered with a certificate (replays included)")
    replayed: int = Field(
        default=0, description="Of those, the ones an earlier request with the key issued"
    )
    failed: int
    results: list[BatchResult]
