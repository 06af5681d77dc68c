"""The one seam through which the issuer signs: :class:`Signer`.

The codec hands a signer the CBOR-encoded COSE ``Sig_structure`` and expects the raw COSE
signature back (ES256: ``r || s``, 64 bytes; PS256: the RSASSA-PSS signature). It never
sees a private key, so a key held in an HSM can stand in for :class:`LocalSigner`.

Putting an HSM (PKCS#11) behind it: write a class with the same four members, e.g. using
``python-pkcs11``: open a session on the token, find the private key object by its label,
and in ``sign`` call ``key.sign(sig_structure, mechanism=Mechanism.ECDSA_SHA256)`` (the
token returns ``r || s`` already, which is COSE's form) or ``Mechanism.SHA256_RSA_PKCS_PSS``
with SHA-256/MGF1-SHA-256/salt 32 for PS256. ``certificate`` is the DSC issued for that
key (its CSR made on the token), and ``kid`` is :func:`issuer.keys.kid_of` of it. Then
return that signer from :meth:`issuer.keys.KeyStore.signer_for` (or a subclass of it).
"""

from __future__ import annotations

from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from issuer.keys.certificates import PrivateKey, kid_of

COSE_ALGORITHMS = {"ES256": -7, "PS256": -37}
"""COSE algorithm ids (RFC 9053) of the two algorithms the EU DCC allows."""

_ES256_HALF = 32
_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())
_PSS_SHA256 = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
"""Built once: constructing them per signature cost about a tenth of an ES256 sign."""


class Signer(Protocol):
    """Signs COSE ``Sig_structure`` bytes with one DSC's private key."""

    @property
    def alg(self) -> int:
        """COSE algorithm id: -7 (ES256) or -37 (PS256)."""
        ...

    @property
    def kid(self) -> bytes:
        """First 8 bytes of SHA-256 of the DSC's DER."""
        ...

    @property
    def certificate(self) -> x509.Certificate:
        """The DSC whose key signs."""
        ...

    def sign(self, sig_structure: bytes) -> bytes:
        """The raw COSE signature over ``sig_structure``."""
        ...


class LocalSigner:
    """A :class:`Signer` over a private key held in this process's memory."""

    def __init__(self, key: PrivateKey, certificate: x509.Certificate) -> None:
        if isinstance(key, ec.EllipticCurvePrivateKey):
            if not isinstance(key.curve, ec.SECP256R1):
                raise ValueError("ES256 needs a P-256 key")
            self._alg = COSE_ALGORITHMS["ES256"]
        else:
            self._alg = COSE_ALGORITHMS["PS256"]
        self._key = key
        self._certificate = certificate
        self._kid = kid_of(certificate)

    @property
    def alg(self) -> int:
        return self._alg

    @property
    def kid(self) -> bytes:
        return self._kid

    @property
    def certificate(self) -> x509.Certificate:
        return self._certificate

    def sign(self, sig_structure: bytes) -> bytes:
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            der = self._key.sign(sig_structure, _ECDSA_SHA256)
            r, s = decode_dss_signature(der)
            return r.to_bytes(_ES256_HALF, "big") + s.to_bytes(_ES256_HALF, "big")
        assert isinstance(self._key, rsa.RSAPrivateKey)  # noqa: S101 - narrowed by __init__
        return self._key.sign(sig_structure, _PSS_SHA256, hashes.SHA256())

    def __repr__(self) -> str:
        """Never shows key material."""
        return f"LocalSigner(kid={self._kid.hex()}, alg={self._alg})"
