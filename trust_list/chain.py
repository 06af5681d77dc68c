"""DSC -> CSCA chain validation for the EU DCC two-level PKI (standards README 4.1, 4.2).

A document signer certificate (DSC) is accepted only when every check below passes
against a CSCA of the DSC's own country, at an explicit ``at`` time. Each failure
raises :class:`~trust_list.errors.ChainInvalid` naming the check, so a rejected import
says exactly why. Pure library: no database, no clock.

EKU policy (README 4.2): no EKU extension means the DSC may sign every DCC type; an EKU
extension that holds none of the DCC OIDs (either spelling) means it may sign *none*,
as in the EU test harness, so such a DSC is refused (fail closed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from trust_list.errors import CertificateMalformed, ChainInvalid

_E = TypeVar("_E", bound=x509.ExtensionType)

MAX_CERTIFICATE_BYTES = 16 * 1024
"""Larger than any real DSC or CSCA (about 1 KiB); bounds the X.509 decoder."""


class DccType(StrEnum):
    """The certificate types a DSC may sign (the DCC payload keys t, v, r)."""

    TEST = "test"
    VACCINATION = "vaccination"
    RECOVERY = "recovery"


_EKU_SUFFIX = {"1": DccType.TEST, "2": DccType.VACCINATION, "3": DccType.RECOVERY}
_EKU_PREFIXES = ("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.")
SPEC_EKU_OIDS = {
    kind: x509.ObjectIdentifier(_EKU_PREFIXES[0] + n) for n, kind in _EKU_SUFFIX.items()
}
"""The spec spelling, which the DSCs we create carry."""


@dataclass(frozen=True, slots=True)
class ValidatedDsc:
    """A DSC that passed :func:`validate_dsc`; what a trust list publishes about it."""

    kid: bytes
    country: str
    certificate_types: frozenset[DccType]
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(Encoding.DER)


def load_certificate(data: bytes) -> x509.Certificate:
    """Parse one PEM or DER certificate, refusing oversize input before decoding."""
    if len(data) > MAX_CERTIFICATE_BYTES * 2:
        raise CertificateMalformed(f"certificate larger than {MAX_CERTIFICATE_BYTES} bytes")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise CertificateMalformed(f"not an X.509 certificate: {exc}") from exc


def kid_of(certificate: x509.Certificate) -> bytes:
    """HCERT kid: the first 8 bytes of SHA-256 over the certificate's DER."""
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).digest()[:8]


def country_of(certificate: x509.Certificate) -> str | None:
    """The subject's C= value, upper-cased (None when absent)."""
    values = certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
    return str(values[0].value).upper() if values else None


def permitted_types(certificate: x509.Certificate) -> frozenset[DccType]:
    """The DCC types the DSC may sign, from its EKU (both OID spellings; module doc policy)."""
    try:
        usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return frozenset(DccType)
    found = set()
    for oid in usages:
        for prefix in _EKU_PREFIXES:
            suffix = oid.dotted_string.removeprefix(prefix)
            if suffix != oid.dotted_string and suffix in _EKU_SUFFIX:
                found.add(_EKU_SUFFIX[suffix])
    return frozenset(found)


def validate_csca(csca: x509.Certificate, country: str, at: datetime) -> None:
    """Check a CSCA on its own: country, validity, CA flag, pathLen 0, keyCertSign."""
    _require(
        country_of(csca) == country.upper(), "csca_country", f"CSCA subject is not C={country}"
    )
    _require_valid_at(csca, at, "csca_validity", "CSCA")
    constraints = _extension(csca, x509.BasicConstraints, "csca_basic_constraints")
    _require(
        constraints.ca, "csca_basic_constraints", "CSCA is not a CA (basicConstraints cA false)"
    )
    _require(
        constraints.path_length in (None, 0),
        "csca_path_length",
        f"CSCA pathLen is {constraints.path_length}; a CSCA signs DSCs directly (pathLen 0)",
    )
    usage = _extension(csca, x509.KeyUsage, "csca_key_usage")
    _require(usage.key_cert_sign, "csca_key_usage", "CSCA key usage lacks keyCertSign")
    if csca.issuer == csca.subject:
        _require_signed_by(csca, csca, "csca_self_signature")


def validate_dsc(
    dsc: x509.Certificate, cscas: Sequence[x509.Certificate], country: str, at: datetime
) -> ValidatedDsc:
    """Accept ``dsc`` only when it chains to one of ``cscas`` (its country's) at ``at``.

    Raises ChainInvalid for the first CSCA whose name matches the DSC's issuer, or
    ``no_csca`` when none does.
    """
    country = country.upper()
    candidates = [c for c in cscas if c.subject == dsc.issuer and country_of(c) == country]
    if not candidates:
        raise ChainInvalid(f"no CSCA of {country} matches the DSC's issuer", check="no_csca")
    failure: ChainInvalid | None = None
    for csca in candidates:
        try:
            return _validate_against(dsc, csca, country, at)
        except ChainInvalid as exc:
            failure = failure or exc
        except ValueError as exc:  # pyca refuses some DER encodings inside extensions
            failure = failure or ChainInvalid(f"unparseable extension: {exc}", check="extensions")
    assert failure is not None  # noqa: S101 - candidates is non-empty
    raise failure


def _validate_against(
    dsc: x509.Certificate, csca: x509.Certificate, country: str, at: datetime
) -> ValidatedDsc:
    # 1. The CSCA itself (4.1: CA, pathLen 0, keyCertSign, valid now).
    validate_csca(csca, country, at)
    # 2. AKI of the DSC equals the CSCA's SKI (4.1).
    _require(
        _authority_key_id(dsc) == _subject_key_id(csca),
        "authority_key_identifier",
        "DSC authorityKeyIdentifier does not match the CSCA's subjectKeyIdentifier",
    )
    # 3. The CSCA's signature over the DSC.
    _require_signed_by(dsc, csca, "signature")
    # 4. DSC validity, not a CA, digitalSignature key usage, an allowed key type.
    _require_valid_at(dsc, at, "dsc_validity", "DSC")
    _require_not_ca(dsc)
    usage = _extension(dsc, x509.KeyUsage, "dsc_key_usage")
    _require(usage.digital_signature, "dsc_key_usage", "DSC key usage lacks digitalSignature")
    _require_signing_key(dsc)
    # 5. EKU: which DCC types it may sign (4.2); none at all is refused.
    types = permitted_types(dsc)
    _require(bool(types), "extended_key_usage", "DSC EKU permits no DCC certificate type")
    return ValidatedDsc(kid=kid_of(dsc), country=country, certificate_types=types, certificate=dsc)


def _require(condition: bool, check: str, detail: str) -> None:
    if not condition:
        raise ChainInvalid(detail, check=check)


def _require_valid_at(certificate: x509.Certificate, at: datetime, check: str, what: str) -> None:
    start, end = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    _require(
        start <= at <= end, check, f"{what} is not valid at {at.isoformat()} ({start} - {end})"
    )


def _require_signed_by(certificate: x509.Certificate, issuer: x509.Certificate, check: str) -> None:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature) as exc:
        raise ChainInvalid(f"signature by the CSCA does not verify: {exc}", check=check) from exc


def _require_not_ca(dsc: x509.Certificate) -> None:
    try:
        constraints = dsc.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return
    _require(not constraints.ca, "dsc_basic_constraints", "DSC is marked as a CA")


def _require_signing_key(dsc: x509.Certificate) -> None:
    key = dsc.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey):
        _require(isinstance(key.curve, ec.SECP256R1), "dsc_key", "DSC EC key is not P-256")
        return
    _require(isinstance(key, rsa.RSAPublicKey), "dsc_key", "DSC key is neither EC P-256 nor RSA")
    assert isinstance(key, rsa.RSAPublicKey)  # noqa: S101 - narrowed above
    _require(key.key_size >= 2048, "dsc_key", "DSC RSA key is shorter than 2048 bits")


def _extension(certificate: x509.Certificate, kind: type[_E], check: str) -> _E:
    try:
        return certificate.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound as exc:
        raise ChainInvalid(f"missing {kind.__name__} extension", check=check) from exc


def _subject_key_id(csca: x509.Certificate) -> bytes:
    try:
        return csca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return x509.SubjectKeyIdentifier.from_public_key(csca.public_key()).digest


def _authority_key_id(dsc: x509.Certificate) -> bytes | None:
    try:
        aki = dsc.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    except x509.ExtensionNotFound:
        return None
    return aki.key_identifier
