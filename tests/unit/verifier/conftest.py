"""A tiny independent HC1 *encoder* and DSC factory for verifier tests.

Written here (not imported from the issuer) so the verifier is tested against an
encoder that follows the spec text directly, and so tests can build broken messages.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from verifier import InMemoryTrustStore, TrustedDsc

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
SPEC_EKU = "1.3.6.1.4.1.1847.2021.1."
VACCINATION: dict[str, Any] = {
    "ver": "1.3.0",
    "nam": {"fn": "林", "gn": "美華", "fnt": "LIN", "gnt": "MEI<HUA"},
    "dob": "1990-01-02",
    "v": [
        {
            "tg": "840539006",
            "vp": "1119349007",
            "mp": "EU/1/20/1507",
            "ma": "ORG-100031184",
            "dn": 2,
            "sd": 2,
            "dt": "2026-01-10",
            "co": "TW",
            "is": "Centers for Disease Control, Ministry of Health and Welfare",
            "ci": "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
        }
    ],
}


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [ALPHABET[n % 45], ALPHABET[n // 45 % 45], ALPHABET[n // 2025]]
    if len(data) % 2:
        out += [ALPHABET[data[-1] % 45], ALPHABET[data[-1] // 45]]
    return "".join(out)


@dataclass
class Signer:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    dsc: TrustedDsc = field(init=False)

    def __post_init__(self) -> None:
        self.dsc = TrustedDsc.from_certificate(self.certificate)

    def sign(self, data: bytes) -> bytes:
        if isinstance(self.key, rsa.RSAPrivateKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
            return self.key.sign(data, pss, hashes.SHA256())
        r, s = decode_dss_signature(self.key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def cose(
        self,
        dcc: dict[str, Any] | None = None,
        *,
        iat: datetime = NOW - timedelta(days=1),
        exp: datetime = NOW + timedelta(days=30),
        alg: int | None = None,
        protected: dict[int, Any] | None = None,
        unprotected: dict[int, Any] | None = None,
        tamper: bool = False,
    ) -> bytes:
        algorithm = (
            alg if alg is not None else (-37 if isinstance(self.key, rsa.RSAPrivateKey) else -7)
        )
        header = protected if protected is not None else {1: algorithm, 4: self.dsc.kid}
        claims = {
            1: "TW",
            6: int(iat.timestamp()),
            4: int(exp.timestamp()),
            -260: {1: dcc or VACCINATION},
        }
        protected_bytes = cbor2.dumps(header) if header else b""
        payload = cbor2.dumps(claims)
        signature = self.sign(cbor2.dumps(["Signature1", protected_bytes, b"", payload]))
        if tamper:
            signature = signature[:-1] + bytes([signature[-1] ^ 1])
        return cbor2.dumps(
            cbor2.CBORTag(18, [protected_bytes, unprotected or {}, payload, signature])
        )

    def hc1(self, dcc: dict[str, Any] | None = None, **options: Any) -> str:
        return "HC1:" + b45encode(zlib.compress(self.cose(dcc, **options)))


def make_signer(
    *,
    eku: list[str] | None = None,
    rsa_key: bool = False,
    days: int = 730,
    start: datetime | None = None,
) -> Signer:
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey = (
        rsa.generate_private_key(65537, 2048)
        if rsa_key
        else ec.generate_private_key(ec.SECP256R1())
    )
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "TW"),
            x509.NameAttribute(NameOID.COMMON_NAME, "DSC"),
        ]
    )
    begin = start or NOW - timedelta(days=100)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(begin + timedelta(days=days))
    )
    if eku is not None:
        usages = [x509.ObjectIdentifier(oid) for oid in eku]
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    return Signer(key, builder.sign(key, hashes.SHA256()))


@pytest.fixture(scope="session")
def signer() -> Signer:
    return make_signer(eku=[SPEC_EKU + "1", SPEC_EKU + "2", SPEC_EKU + "3"])


@pytest.fixture(scope="session")
def trust(signer: Signer) -> InMemoryTrustStore:
    return InMemoryTrustStore([signer.dsc])
