"""The trust-list signing key, its certificate, and the trust anchor verifiers pin.

The signing key is separate from every DSC: it signs trust documents only. Files live
in ``settings.trust_list_key_dir`` (default ``<data_dir>/trust-list``):
``anchor.pem`` (the certificate verifiers pin), ``signer.pem`` (issued by the anchor),
and the private keys ``signer.key.pem`` and ``anchor.key.pem``, PKCS#8 encrypted with
``settings.key_passphrase`` and mode 0600. Development mode generates them at first
start (:func:`ensure_development_keys`); production expects an operator to provide them
(``vaxx trust init-keys`` makes a fresh set).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from trust_list._internal.files import write_atomic
from trust_list.envelope import Signer
from trust_list.errors import SigningKeyMissing
from vaxx.settings import Settings

ANCHOR_YEARS = 10
DEVELOPMENT_MARK = "DEVELOPMENT"
SIGNER_YEARS = 2


def key_dir(settings: Settings) -> Path:
    return settings.trust_list_key_dir or settings.data_dir / "trust-list"


def ensure_development_keys(settings: Settings, now: datetime) -> None:
    """Create a development anchor and signer on first start (development mode only)."""
    if settings.env == "development" and not (key_dir(settings) / "signer.key.pem").exists():
        generate_keys(settings, now, development=True)


def require_production_keys(settings: Settings) -> None:
    """Production: the signer must load and must not be a development one (fail at start,
    not at the first request)."""
    signer = load_signer(settings)
    if DEVELOPMENT_MARK in signer.certificate.subject.rfc4514_string():
        raise SigningKeyMissing("the trust-list signer is a development key; production refuses it")


def generate_keys(
    settings: Settings, now: datetime, *, development: bool = False
) -> x509.Certificate:
    """Write a fresh anchor + signer pair; returns the anchor certificate to pin."""
    passphrase = settings.key_passphrase.get_secret_value().encode()
    directory = key_dir(settings)
    anchor_key, signer_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    suffix = f" ({DEVELOPMENT_MARK})" if development else ""
    anchor = _anchor_certificate(anchor_key, settings.issuing_country, now, suffix)
    signer = _signer_certificate(signer_key, anchor, anchor_key, now, suffix)
    for name, key in (("anchor", anchor_key), ("signer", signer_key)):
        _write_key(directory / f"{name}.key.pem", key, passphrase)
    _write_certificate(directory / "anchor.pem", anchor)
    _write_certificate(directory / "signer.pem", signer)
    return anchor


def rotate_signer(settings: Settings, now: datetime) -> x509.Certificate:
    """A new signing key and certificate under the existing anchor: verifiers keep their pin.

    Servers pick the new key up at their next start; the next document they sign uses it.
    """
    passphrase = settings.key_passphrase.get_secret_value().encode()
    directory = key_dir(settings)
    anchor = load_anchor(settings)
    try:
        anchor_key = serialization.load_pem_private_key(
            (directory / "anchor.key.pem").read_bytes(), passphrase
        )
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyMissing(
            f"anchor key unusable in {directory}: {type(exc).__name__}"
        ) from exc
    if not isinstance(anchor_key, ec.EllipticCurvePrivateKey):
        raise SigningKeyMissing("the trust anchor key must be an EC key")
    development = DEVELOPMENT_MARK in anchor.subject.rfc4514_string()
    signer_key = ec.generate_private_key(ec.SECP256R1())
    suffix = f" ({DEVELOPMENT_MARK})" if development else ""
    signer = _signer_certificate(signer_key, anchor, anchor_key, now, suffix)
    _write_key(directory / "signer.key.pem", signer_key, passphrase)
    _write_certificate(directory / "signer.pem", signer)
    return signer


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey, passphrase: bytes) -> None:
    encryption = serialization.BestAvailableEncryption(passphrase)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    write_atomic(path, pem)


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    write_atomic(path, certificate.public_bytes(serialization.Encoding.PEM), mode=0o644)


def load_signer(settings: Settings) -> Signer:
    directory = key_dir(settings)
    try:
        key = serialization.load_pem_private_key(
            (directory / "signer.key.pem").read_bytes(),
            settings.key_passphrase.get_secret_value().encode(),
        )
        certificate = x509.load_pem_x509_certificate((directory / "signer.pem").read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise SigningKeyMissing(
            f"trust-list signing key unusable in {directory}: {type(exc).__name__}"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise SigningKeyMissing("the trust-list signing key must be an EC P-256 key")
    if key.public_key() != certificate.public_key():
        raise SigningKeyMissing(f"signer.key.pem and signer.pem in {directory} do not match")
    return Signer(key=key, certificate=certificate)


def load_anchor(settings: Settings) -> x509.Certificate:
    path = key_dir(settings) / "anchor.pem"
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SigningKeyMissing(f"trust anchor unusable at {path}") from exc


def _name(country: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, sign: bool, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(sign, False, False, False, False, cert_sign, cert_sign, False, False)


def _anchor_certificate(
    key: ec.EllipticCurvePrivateKey, country: str, now: datetime, suffix: str
) -> x509.Certificate:
    subject = _name(country, "vaxx trust-list anchor" + suffix)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * ANCHOR_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(sign=False, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )


def _signer_certificate(
    key: ec.EllipticCurvePrivateKey,
    anchor: x509.Certificate,
    anchor_key: ec.EllipticCurvePrivateKey,
    now: datetime,
    suffix: str,
) -> x509.Certificate:
    country = anchor.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value
    return (
        x509.CertificateBuilder()
        .subject_name(_name(str(country), "vaxx trust-list signer" + suffix))
        .issuer_name(anchor.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(sign=True, cert_sign=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(anchor_key.public_key()), False
        )
        .sign(anchor_key, hashes.SHA256())
    )
