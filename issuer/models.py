"""The issued-certificate register and the idempotency keys of issuing requests.

The register keeps what re-issuing and revocation need: the UVCI and signature (trust_list
derives the EU revocation hashes from them), the kid of the signing DSC, a hash of the
signed payload, the source FHIR Bundle, the DCC payload and the HC1 text. Rows change only
by revocation or supersession; nothing is deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from vaxx.db import Base, UTCDateTime

STATUS_VALID = "valid"
STATUS_REVOKED = "revoked"
STATUS_SUPERSEDED = "superseded"


class IssuedCertificate(Base):
    __tablename__ = "issued_certificates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    uvci: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    kid: Mapped[bytes] = mapped_column(LargeBinary(8), index=True)
    alg: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=STATUS_VALID)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    superseded_by: Mapped[str | None] = mapped_column(ForeignKey("issued_certificates.id"))
    signature: Mapped[bytes] = mapped_column(LargeBinary(512))
    payload_sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    bundle: Mapped[dict[str, Any]] = mapped_column(JSON)
    hc1: Mapped[str] = mapped_column(Text)


class IdempotencyKey(Base):
    """``Idempotency-Key`` header of a client -> the certificate its first request issued."""

    __tablename__ = "issuer_idempotency_keys"
    __table_args__ = (Index("ix_issuer_idempotency_keys_created_at", "created_at"),)

    client_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_sha256: Mapped[str] = mapped_column(String(64))
    certificate_id: Mapped[str] = mapped_column(ForeignKey("issued_certificates.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
