"""Who may sign: the trust-store protocol and an in-memory store built from DSCs.

The verifier only asks a trust store one question, ``keys_for(kid)``, and gets every
key that carries that kid (several DSCs may share one: the kid is only 8 bytes of a
hash). ``trust_list`` implements :class:`TrustStore` over its signed, cached lists;
:class:`InMemoryTrustStore` serves tests, the CLI's ``--trust-cert`` and conformance.

Key usage (standards README 4.2): no EKU extension = may sign every type; an EKU that
lists DCC OIDs (either spelling) = exactly those types; an EKU that lists none of them
= may sign *no* DCC type. We read that last case as the EU test harness does, failing
closed: a DSC restricted to other purposes should not be signing health certificates.
An EKU extension with an empty list (invalid DER, vector ``common/CO15``, which the EU
data calls "without extended key usage") is read as no extension.
When pyca/cryptography cannot parse the extensions (FI DSCs encode a DER default), the
EKU is read with a tolerant DER walk instead of giving up.
"""

from __future__ import annotations

import hashlib
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from vaxx.errors import InputError
from verifier._internal.der import DerError, extended_key_usages

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
ALL_TYPES = frozenset({"test", "vaccination", "recovery"})
_EKU_TYPES = {"1": "test", "2": "vaccination", "3": "recovery"}
_EKU_PREFIXES = ("1.3.6.1.4.1.1847.2021.1.", "1.3.6.1.4.1.0.1847.2021.1.")
MAX_CERTIFICATE_BYTES = 32 * 1024
MAX_CERTIFICATES_PER_FILE = 64


class TrustedKey(Protocol):
    """One document signer key the verifier may accept."""

    @property
    def kid(self) -> bytes: ...
    @property
    def country(self) -> str | None: ...
    @property
    def certificate_types(self) -> frozenset[str]:
        """Subset of {"test", "vaccination", "recovery"} this key may sign."""
        ...

    @property
    def certificate(self) -> x509.Certificate: ...
    @property
    def public_key(self) -> PublicKey:
        """Parsed once when the trust data is loaded, not per verification."""
        ...


class TrustStore(Protocol):
    def keys_for(self, kid: bytes) -> Sequence[TrustedKey]:
        """Every trusted key with this kid; empty when none."""
        ...


class RevocationChecker(Protocol):
    """The revocation question (EU model, standards README 4.4); ``trust_list`` answers it."""

    def is_revoked(self, *, kid: bytes, uvci: str, country: str, signature: bytes) -> bool: ...


def permitted_types(certificate: x509.Certificate) -> frozenset[str]:
    """The DCC types a DSC may sign, from its extended key usage (module doc policy)."""
    try:
        extension = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        oids: list[str] | None = [oid.dotted_string for oid in extension.value]
    except x509.ExtensionNotFound:
        oids = None
    except ValueError:
        try:
            oids = extended_key_usages(certificate.public_bytes(Encoding.DER))
        except DerError:
            return frozenset()
    if not oids:
        return ALL_TYPES
    found = set()
    for oid in oids:
        for prefix in _EKU_PREFIXES:
            if oid.startswith(prefix) and oid[len(prefix) :] in _EKU_TYPES:
                found.add(_EKU_TYPES[oid[len(prefix) :]])
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class TrustedDsc:
    """A :class:`TrustedKey` made from a DSC certificate."""

    kid: bytes
    country: str | None
    certificate_types: frozenset[str]
    certificate: x509.Certificate = field(repr=False)
    public_key: PublicKey = field(repr=False)

    @classmethod
    def from_certificate(cls, certificate: x509.Certificate) -> TrustedDsc:
        key = certificate.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
            raise InputError("a DSC must hold an EC or RSA public key")
        with warnings.catch_warnings():
            # Real DSCs (Taiwan's) pack a whole DN into one over-long CN; cryptography
            # warns about that while reading the subject, which is not our concern here.
            warnings.simplefilter("ignore", UserWarning)
            countries = certificate.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)
        return cls(
            kid=hashlib.sha256(certificate.public_bytes(Encoding.DER)).digest()[:8],
            country=str(countries[0].value).upper() if countries else None,
            certificate_types=permitted_types(certificate),
            certificate=certificate,
            public_key=key,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> TrustedDsc:
        """One PEM or DER certificate."""
        if len(data) > MAX_CERTIFICATE_BYTES:
            raise InputError(f"certificate larger than {MAX_CERTIFICATE_BYTES} bytes")
        try:
            if data.lstrip().startswith(b"-----BEGIN"):
                return cls.from_certificate(x509.load_pem_x509_certificate(data))
            return cls.from_certificate(x509.load_der_x509_certificate(data))
        except ValueError as exc:
            raise InputError(f"not an X.509 certificate: {exc}") from exc

    @classmethod
    def all_from_file(cls, data: bytes) -> list[TrustedDsc]:
        """The DSCs in a file of one DER certificate or one or more PEM certificates.

        A PEM bundle such as ``vaxx keys export-public`` holds the CSCA beside its DSCs:
        certificate authorities in a bundle are left out, since a CA key never signs a
        health certificate itself.
        """
        if not data.lstrip().startswith(b"-----BEGIN"):
            return [cls.from_bytes(data)]
        if len(data) > MAX_CERTIFICATE_BYTES * MAX_CERTIFICATES_PER_FILE:
            raise InputError("certificate file too large")
        try:
            certificates = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise InputError(f"not an X.509 certificate: {exc}") from exc
        if len(certificates) > MAX_CERTIFICATES_PER_FILE:
            raise InputError(f"more than {MAX_CERTIFICATES_PER_FILE} certificates in one file")
        if len(certificates) > 1:
            certificates = [c for c in certificates if not _is_ca(c)]
        return [cls.from_certificate(certificate) for certificate in certificates]


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


class InMemoryTrustStore:
    """A fixed set of trusted DSCs, indexed by kid."""

    def __init__(self, keys: Iterable[TrustedKey]) -> None:
        index: dict[bytes, list[TrustedKey]] = defaultdict(list)
        for key in keys:
            index[key.kid].append(key)
        self._index = {kid: tuple(found) for kid, found in index.items()}

    @classmethod
    def from_certificates(cls, certificates: Iterable[bytes]) -> InMemoryTrustStore:
        """PEM or DER certificates, e.g. the contents of ``--trust-cert`` files."""
        return cls(dsc for data in certificates for dsc in TrustedDsc.all_from_file(data))

    def keys_for(self, kid: bytes) -> Sequence[TrustedKey]:
        return self._index.get(kid, ())

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._index.values())
