"""An HC1 decoder written for the tests from the specs alone (cbor2 + cryptography, no vaxx
code), so the issuer's output is proven readable by a path it did not write."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def b45decode(text: str) -> bytes:
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = [B45.index(c) for c in text[i : i + 3]]
        n = sum(v * 45**k for k, v in enumerate(chunk))
        if len(chunk) == 3:
            assert n <= 0xFFFF
            out += n.to_bytes(2, "big")
        else:
            assert n <= 0xFF
            out.append(n)
    return bytes(out)


@dataclass
class Decoded:
    alg: int
    kid: bytes
    claims: dict[Any, Any]
    signature: bytes
    signed_payload: bytes

    @property
    def dcc(self) -> dict[str, Any]:
        payload: dict[str, Any] = self.claims[-260][1]
        return payload


def decode_hc1(hc1: str, trusted_pem: bytes) -> Decoded:
    """Decode ``hc1`` and verify it with the certificate in ``trusted_pem`` (one or more PEM
    certificates) whose kid it names; assert every wire detail on the way."""
    assert hc1.startswith("HC1:")
    compressed = b45decode(hc1[4:])
    assert compressed[0] == 0x78, "standard zlib stream"
    message = cbor2.loads(zlib.decompress(compressed))
    assert isinstance(message, cbor2.CBORTag)
    assert message.tag == 18
    protected_bytes, unprotected, payload, signature = message.value
    protected = cbor2.loads(protected_bytes)
    assert dict(unprotected) == {}
    by_kid = {
        hashlib.sha256(c.public_bytes(serialization.Encoding.DER)).digest()[:8]: c
        for c in x509.load_pem_x509_certificates(trusted_pem)
    }
    certificate = by_kid[protected[4]]
    to_sign = cbor2.dumps(["Signature1", protected_bytes, b"", payload])
    key = certificate.public_key()
    if protected[1] == -7:
        assert isinstance(key, ec.EllipticCurvePublicKey)
        assert len(signature) == 64
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        key.verify(encode_dss_signature(r, s), to_sign, ec.ECDSA(hashes.SHA256()))
    else:
        assert protected[1] == -37
        assert isinstance(key, rsa.RSAPublicKey)
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        key.verify(signature, to_sign, pss, hashes.SHA256())
    claims = cbor2.loads(payload)
    for claim in (1, 4, 6):
        assert claim in claims
    assert type(claims[4]) is int
    assert type(claims[6]) is int
    return Decoded(protected[1], protected[4], dict(claims), signature, payload)
