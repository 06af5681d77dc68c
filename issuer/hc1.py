"""Sign a DCC payload into its ``HC1:`` string (hcert spec section 3, bit-exact).

Steps, as ``../shared/standards/README.md`` section 3 numbers them:
2. CWT claims {1: iss, 6: iat, 4: exp, -260: {1: payload}}, integer seconds;
3. COSE_Sign1 (tag 18), protected {1: alg, 4: kid}, signature in COSE form;
4. zlib (RFC 1950, header byte 0x78: verifiers test it);
5. Base45 (RFC 9285); 6. the ``HC1:`` prefix.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from issuer._internal import base45, cose
from issuer.errors import NoSigningKey
from issuer.keys import DccType, Signer

PREFIX = "HC1:"


@dataclass(frozen=True)
class SignedCertificate:
    """One signed certificate: its HC1 text and what the register keeps about it."""

    hc1: str
    kid: bytes
    alg: int
    signature: bytes
    payload_sha256: bytes
    """SHA-256 of the CWT bytes that were signed (the COSE payload)."""
    issued_at: datetime
    expires_at: datetime


def expiry(
    kind: DccType, issued_at: datetime, validity_days: Mapping[str, int], signer: Signer
) -> datetime:
    """``iat`` + the type's validity, cut at the DSC's notAfter (hcert 3.3.1: exp <= DSC)."""
    wanted = issued_at + timedelta(days=validity_days[kind.value])
    expires_at = min(wanted, signer.certificate.not_valid_after_utc)
    if expires_at <= issued_at:
        raise NoSigningKey(f"DSC {signer.kid.hex()} expires before it could sign")
    return expires_at


def sign(
    payload: dict[str, Any],
    *,
    signer: Signer,
    country: str,
    issued_at: datetime,
    expires_at: datetime,
) -> SignedCertificate:
    """Sign ``payload`` (an EU DCC JSON object, already schema-valid) into ``HC1:...``."""
    iat, exp = int(issued_at.timestamp()), int(expires_at.timestamp())
    claims = cose.cwt_claims(payload, issuer=country, issued_at=iat, expires_at=exp)
    message, signature = cose.sign1(claims, signer)
    compressed = zlib.compress(message, 9)
    return SignedCertificate(
        hc1=PREFIX + base45.encode(compressed),
        kid=signer.kid,
        alg=signer.alg,
        signature=signature,
        payload_sha256=hashlib.sha256(claims).digest(),
        issued_at=datetime.fromtimestamp(iat, UTC),
        expires_at=datetime.fromtimestamp(exp, UTC),
    )
