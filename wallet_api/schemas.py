"""Request and response bodies of the wallet API. Nothing here carries a stored digest,
a national ID, a birth date the holder did not already give, or another holder's id."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimRequest(_Strict):
    code: str = Field(
        min_length=1, max_length=64, description="The claim code, e.g. 7K3M-Q9TX-2B4N"
    )
    birth_date: str = Field(
        min_length=4, max_length=20, description="YYYY-MM-DD (or YYYY, YYYY-MM)"
    )


class ClaimCodeRequest(_Strict):
    certificate_id: str = Field(min_length=1, max_length=64)


class ClaimCodeCreated(BaseModel):
    certificate_id: str
    claim_code: str = Field(description="For the holder only: print it on the slip, never log it")
    expires_at: datetime


class LoginStartRequest(_Strict):
    national_id: str = Field(min_length=4, max_length=32)
    birth_date: str = Field(min_length=4, max_length=20)


class LoginFinishRequest(LoginStartRequest):
    code: str = Field(min_length=1, max_length=16, description="The 6-digit one-time code")


class AcceptDelegationRequest(_Strict):
    code: str = Field(min_length=1, max_length=64)


class GrantPublic(BaseModel):
    token: str = Field(description="Holder token: send as 'Authorization: Bearer <token>'")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_at: datetime
    certificate_ids: list[str] = Field(description="Certificates this step added to the wallet")


class Notice(BaseModel):
    detail: str


class CertificateLinks(BaseModel):
    self: str
    hc1: str
    qr_png: str
    qr_svg: str
    pdf: str
    fhir: str
    status: str


class FieldPublic(BaseModel):
    label: str
    value: str


class StatusPublic(BaseModel):
    id: str
    status: Literal["valid", "expired", "revoked", "superseded"]
    label: str = Field(description="The status in the negotiated language")
    expires_at: datetime
    superseded_by: str | None = Field(
        default=None, description="The re-issued certificate, when this wallet holds it"
    )


class CertificatePublic(BaseModel):
    id: str
    uvci: str
    type: str
    type_label: str
    status: Literal["valid", "expired", "revoked", "superseded"]
    status_label: str
    held: Literal["own", "delegated"]
    issued_at: datetime
    expires_at: datetime
    hc1: str
    fields: list[FieldPublic]
    links: CertificateLinks


class CertificateList(BaseModel):
    certificates: list[CertificatePublic]


class DelegationCreated(BaseModel):
    id: str
    code: str = Field(description="Give this to the person you authorise; shown only once")
    expires_at: datetime


class DelegationPublic(BaseModel):
    id: str
    role: Literal["grantor", "grantee"]
    accepted: bool
    created_at: datetime
    accepted_at: datetime | None


class DelegationList(BaseModel):
    delegations: list[DelegationPublic]
