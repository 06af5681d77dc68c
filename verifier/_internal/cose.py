"""COSE_Sign1 (RFC 9052) as used by HCERT: parsing, headers, Sig_structure.

Accepted shapes (HCERT spec 3.3, vector ``common/CO28``): tag 18, untagged, and tag 18
wrapped in the CWT tag 61. ``alg`` and ``kid`` come from the protected header; only if
a parameter is absent there is the unprotected header consulted (CO18-CO23: protected
wins), and where a value came from is recorded so the result can report it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cbor2 import CBORTag

from verifier._internal.cbor import CborError, loads
from verifier.errors import CoseInvalid

COSE_SIGN1_TAG = 18
CWT_TAG = 61
HEADER_ALG = 1
HEADER_KID = 4
MAX_KID = 64


@dataclass(frozen=True, slots=True)
class Sign1:
    """The parts of a COSE_Sign1 message a verifier needs, exactly as signed."""

    protected: bytes
    payload: bytes
    signature: bytes
    alg: int | None
    alg_source: str | None
    kid: bytes | None
    kid_source: str | None

    def to_be_signed(self) -> bytes:
        """CBOR of ``["Signature1", protected, h'', payload]``, built without an encoder."""
        return b"".join(
            (
                b"\x84\x6aSignature1",
                _bstr_head(len(self.protected)),
                self.protected,
                b"\x40",
                _bstr_head(len(self.payload)),
                self.payload,
            )
        )


def parse(data: bytes) -> Sign1:
    """Parse a COSE_Sign1 message; every structural problem is :class:`CoseInvalid`."""
    try:
        item = loads(data)
    except CborError as exc:
        raise CoseInvalid(f"COSE message is not CBOR: {exc}") from None
    if isinstance(item, CBORTag) and item.tag == CWT_TAG:
        item = item.value
    if isinstance(item, CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise CoseInvalid(f"CBOR tag {item.tag} is not COSE_Sign1 (18)")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise CoseInvalid("COSE_Sign1 must be an array of four items")
    protected, unprotected, payload, signature = item
    if not all(isinstance(part, bytes) for part in (protected, payload, signature)):
        raise CoseInvalid("COSE_Sign1 protected header, payload and signature must be byte strings")
    if not isinstance(unprotected, Mapping):
        raise CoseInvalid("COSE_Sign1 unprotected header must be a map")
    headers = _protected_headers(protected)
    alg, alg_source = _header(HEADER_ALG, headers, unprotected)
    kid, kid_source = _header(HEADER_KID, headers, unprotected)
    if alg is not None and (not isinstance(alg, int) or isinstance(alg, bool)):
        raise CoseInvalid("COSE alg must be an integer")
    if kid is not None and (not isinstance(kid, bytes) or len(kid) > MAX_KID):
        raise CoseInvalid("COSE kid must be a byte string of at most 64 bytes")
    return Sign1(protected, payload, signature, alg, alg_source, kid, kid_source)


def _protected_headers(protected: bytes) -> Mapping[Any, Any]:
    if not protected:
        return {}
    try:
        headers = loads(protected, max_depth=4)
    except CborError as exc:
        raise CoseInvalid(f"protected header is not CBOR: {exc}") from None
    if not isinstance(headers, Mapping):
        raise CoseInvalid("protected header must be a CBOR map")
    return headers


def _header(
    label: int, protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]
) -> tuple[Any, str | None]:
    if label in protected:
        return protected[label], "protected"
    if label in unprotected:
        return unprotected[label], "unprotected"
    return None, None


def _bstr_head(length: int) -> bytes:
    if length < 24:
        return bytes([0x40 | length])
    if length < 0x100:
        return bytes([0x58, length])
    if length < 0x10000:
        return b"\x59" + length.to_bytes(2, "big")
    return b"\x5a" + length.to_bytes(4, "big")
