"""Generated test PKI: CSCAs, DSCs and a trust-list anchor, with knobs to break each check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SPEC_EKU = [x509.ObjectIdentifier(f"1.3.6.1.4.1.1847.2021.1.{n}") for n in (1, 2, 3)]

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass
class Issued:
    certificate: x509.Certificate
    key: PrivateKey


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_csca(
    country: str = "TW",
    *,
    ca: bool = True,
    path_length: int | None = 0,
    key_cert_sign: bool = True,
    not_before: datetime = T0,
    days: int = 4 * 365,
) -> Issued:
    key = ec_key()
    subject = name(country, f"CSCA {country}")
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), True)
        .add_extension(_key_usage(cert_sign=key_cert_sign), True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    return Issued(builder.sign(key, hashes.SHA256()), key)


def make_dsc(
    csca: Issued,
    *,
    key: PrivateKey | None = None,
    eku: Sequence[x509.ObjectIdentifier] | None = SPEC_EKU,
    digital_signature: bool = True,
    ca: bool = False,
    aki_from: Issued | None = None,
    signer: Issued | None = None,
    not_before: datetime = T0,
    days: int = 2 * 365,
    common_name: str = "DSC",
) -> Issued:
    key = key or ec_key()
    country = csca.certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    aki_key = (aki_from or csca).key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(str(country), common_name))
        .issuer_name(csca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), True)
        .add_extension(_key_usage(signature=digital_signature), True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_key), False)
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), False)
    return Issued(builder.sign((signer or csca).key, hashes.SHA256()), key)


def _key_usage(*, signature: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def make_trust_anchor(country: str = "TW") -> Issued:
    """A trust-list anchor: a self-signed CA like the one ``trust_list.keys`` creates."""
    return make_csca(country, not_before=T0, days=10 * 365)


def make_trust_signer(anchor: Issued, *, not_before: datetime = T0, days: int = 2 * 365) -> Issued:
    """A trust-list signer issued by ``anchor`` (digitalSignature, not a CA, no EKU)."""
    return make_dsc(anchor, eku=None, not_before=not_before, days=days, common_name="signer")
