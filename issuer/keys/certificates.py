"""X.509 certificates of the EU DCC two-level PKI: the CSCA and its Document Signers.

Standards: ``../shared/standards/README.md`` section 4.1 (CSCA: self-signed, C=TW, CA with
pathLen 0, keyCertSign + cRLSign; DSC: digitalSignature, AKI = CSCA's SKI) and 4.2 (the
extended key usage OIDs that restrict which certificate types a DSC may sign). We write the
spec spelling of the OIDs; verifiers accept both spellings.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class DccType(StrEnum):
    """The three EU DCC certificate types (the hcert payload's ``v``, ``t`` or ``r``)."""

    VACCINATION = "vaccination"
    TEST = "test"
    RECOVERY = "recovery"


EKU_OIDS: dict[DccType, x509.ObjectIdentifier] = {
    DccType.TEST: x509.ObjectIdentifier("1.3.6.1.4.1.1847.2021.1.1"),
    DccType.VACCINATION: x509.ObjectIdentifier("1.3.6.1.4.1.1847.2021.1.2"),
    DccType.RECOVERY: x509.ObjectIdentifier("1.3.6.1.4.1.1847.2021.1.3"),
}
DEVELOPMENT_MARK = "DEVELOPMENT - NOT FOR PRODUCTION"


def kid_of(certificate: x509.Certificate) -> bytes:
    """The DCC key id: the first 8 bytes of SHA-256 over the certificate's DER (hcert 3.3.1)."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest()[:8]


def new_key(alg: str) -> PrivateKey:
    """A fresh key: ES256 -> P-256; PS256 -> RSA 2048, as the hcert spec names it."""
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "PS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError(f"unsupported algorithm {alg!r}")


def _name(country: str, common_name: str, development: bool) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, country)]
    if development:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEVELOPMENT_MARK))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def make_csca(
    key: PrivateKey, *, country: str, now: datetime, days: int, development: bool
) -> x509.Certificate:
    """A self-signed country signing CA that may sign DSCs (pathLen 0) and CRLs only."""
    name = _name(country, f"vaxx Country Signing CA {country}", development)
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    return builder.sign(key, hashes.SHA256())


def make_dsc(
    key: PrivateKey,
    *,
    csca: x509.Certificate,
    csca_key: PrivateKey,
    types: list[DccType],
    now: datetime,
    days: int,
    development: bool,
) -> x509.Certificate:
    """A Document Signer Certificate issued by ``csca``, restricted by EKU to ``types``."""
    country = csca.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    label = secrets.token_hex(4).upper()
    ski = csca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(str(country), f"vaxx Document Signer {label}", development))
        .issuer_name(csca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=days), csca.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([EKU_OIDS[t] for t in types]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    )
    return builder.sign(csca_key, hashes.SHA256())


def permitted_types(certificate: x509.Certificate) -> list[DccType]:
    """The DCC types a DSC may sign: all of them without an EKU extension (hcert annex A.4)."""
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return list(DccType)
    return [t for t, oid in EKU_OIDS.items() if oid in eku]


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )
