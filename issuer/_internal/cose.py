"""CWT claims inside a COSE_Sign1 (hcert spec 3.1-3.3; RFC 9052 section 4.4), encode side.

Built on cbor2 + the :class:`~issuer.keys.Signer` rather than pycose: pycose 1.1.0 cannot
read its own messages under cbor2 6 and signs ES256 through pure-Python ``ecdsa``;
``benchmarks/issue.py`` measures the difference.
"""

from __future__ import annotations

from typing import Any

import cbor2

from issuer.keys.signer import Signer

COSE_SIGN1_TAG = 18
CWT_ISS, CWT_EXP, CWT_IAT, CWT_HCERT = 1, 4, 6, -260
HCERT_EU_DCC = 1
HEADER_ALG, HEADER_KID = 1, 4


def cwt_claims(payload: dict[str, Any], *, issuer: str, issued_at: int, expires_at: int) -> bytes:
    """The CBOR CWT: integer keys, times as integer seconds without tag 1."""
    claims = {
        CWT_ISS: issuer,
        CWT_IAT: issued_at,
        CWT_EXP: expires_at,
        CWT_HCERT: {HCERT_EU_DCC: payload},
    }
    return cbor2.dumps(claims)


def sign1(claims: bytes, signer: Signer) -> tuple[bytes, bytes]:
    """(COSE_Sign1 with tag 18, raw signature); protected = {alg, kid}, unprotected = {}."""
    protected = cbor2.dumps({HEADER_ALG: signer.alg, HEADER_KID: signer.kid})
    sig_structure = cbor2.dumps(["Signature1", protected, b"", claims])
    signature = signer.sign(sig_structure)
    message = cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, claims, signature]))
    return message, signature
