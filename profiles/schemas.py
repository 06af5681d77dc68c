"""Request/response models of the profiles HTTP routes.

The Bundle itself travels as plain JSON (``dict``): it is validated by ``profiles.validate``,
which reports every problem as an OperationOutcome, instead of a pydantic body model that
would stop at FastAPI's generic 422.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from profiles.record import CertificateKind

TAIWAN_CDC = "Centers for Disease Control, Ministry of Health and Welfare"
#: The ``ci`` of a preview: schema-valid, obviously not a real certificate, never signed.
PREVIEW_UVCI = "URN:UVCI:01:TW:PREVIEW"


class DccPreview(BaseModel):
    """What ``POST /profiles/dcc`` answers: the payload the issuer would sign."""

    kind: CertificateKind
    payload: dict[str, Any] = Field(description="EU DCC JSON payload (schema 1.3.0)")
    warnings: list[dict[str, Any]] = Field(
        default_factory=list, description="OperationOutcome issues of severity warning"
    )
