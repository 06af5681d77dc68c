"""JWS flattened JSON serialization (RFC 7515 7.2.2) with ES256, just what trust documents need.

Only ES256 exists here: the algorithm is fixed by the caller's allow-list, never taken
from the message. Signatures are JOSE's raw ``r || s`` (64 bytes), not DER.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

ES256_BYTES = 64


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding; raises ValueError on anything else."""
    if "=" in text:
        raise ValueError("padded base64url")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise ValueError(f"bad base64url: {exc}") from exc


def canonical_json(value: Any) -> bytes:
    """JCS-style canonical JSON for float-free documents: sorted keys, no whitespace, UTF-8."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def sign_es256(payload: bytes, header: dict[str, Any], key: ec.EllipticCurvePrivateKey) -> bytes:
    """The flattened JWS (as canonical JSON bytes) of ``payload`` under ``header``."""
    protected = b64url(canonical_json(header))
    body = b64url(payload)
    der = key.sign(f"{protected}.{body}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return canonical_json({"protected": protected, "payload": body, "signature": b64url(raw)})


def split(data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, payload, signing input, signature) of a flattened JWS; ValueError if malformed."""
    envelope = orjson.loads(data)
    if not isinstance(envelope, dict) or set(envelope) != {"protected", "payload", "signature"}:
        raise ValueError("not a flattened JWS with exactly protected, payload and signature")
    protected, body, signature = envelope["protected"], envelope["payload"], envelope["signature"]
    if not all(isinstance(part, str) for part in (protected, body, signature)):
        raise ValueError("JWS members must be strings")
    header = orjson.loads(b64url_decode(protected))
    if not isinstance(header, dict):
        raise ValueError("JWS protected header is not an object")
    signing_input = f"{protected}.{body}".encode("ascii")
    return header, b64url_decode(body), signing_input, b64url_decode(signature)


def verify_es256(key: ec.EllipticCurvePublicKey, signing_input: bytes, signature: bytes) -> bool:
    if len(signature) != ES256_BYTES or not isinstance(key.curve, ec.SECP256R1):
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True
