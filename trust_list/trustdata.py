"""Verified trust data as a verifier holds it: keys by kid, revocations, freshness.

:class:`TrustData` implements the verifier's two questions structurally (no import of
the verifier, which sits downstream): ``keys_for(kid)`` (the ``TrustStore`` protocol)
and ``is_revoked(kid=, uvci=, country=, signature=)`` (the ``RevocationChecker``
protocol). It is built only from documents whose signature :mod:`trust_list.envelope`
has already checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from trust_list.chain import permitted_types
from trust_list.errors import Malformed
from trust_list.revocation import RevocationIndex

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


@dataclass(frozen=True, slots=True)
class TrustedKey:
    """A DSC from the signed list (the verifier's ``TrustedKey`` protocol)."""

    kid: bytes
    country: str | None
    certificate_types: frozenset[str]
    certificate: x509.Certificate = field(repr=False)
    public_key: PublicKey = field(repr=False)


@dataclass(frozen=True, slots=True)
class Header:
    """The version and validity window every trust document carries."""

    version: int
    issued_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, document: dict[str, Any]) -> Header:
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise Malformed("version must be a positive integer")
        return cls(version, _instant(document, "issued_at"), _instant(document, "expires_at"))


@dataclass(frozen=True, slots=True)
class Freshness:
    """How fresh the cached data is at ``now``; ``expired`` data must not be used."""

    trust_list_version: int
    revocations_version: int
    issued_at: datetime
    expires_at: datetime
    age: timedelta
    expires_in: timedelta

    @property
    def expired(self) -> bool:
        return self.expires_in <= timedelta(0)


class TrustData:
    """Keys and revocations from one verified trust list + revocation list pair."""

    def __init__(self, trust_list: dict[str, Any], revocations: dict[str, Any]) -> None:
        self.trust_list_header = Header.of(trust_list)
        self.revocations_header = Header.of(revocations)
        self._keys = _index_keys(trust_list)
        kids = revocations.get("kids")
        if not isinstance(kids, dict):
            raise Malformed("revocations must hold a kids object")
        try:
            self._revocations = RevocationIndex(kids)
        except (ValueError, TypeError, AttributeError, binascii.Error) as exc:
            raise Malformed(f"revocation hash lists are malformed: {exc}") from exc

    def keys_for(self, kid: bytes) -> Sequence[TrustedKey]:
        return self._keys.get(kid, ())

    def is_revoked(self, *, kid: bytes, uvci: str, country: str, signature: bytes) -> bool:
        return self._revocations.is_revoked(
            kid=kid, uvci=uvci, country=country, signature=signature
        )

    @property
    def key_count(self) -> int:
        return sum(len(keys) for keys in self._keys.values())

    @property
    def revoked_hash_count(self) -> int:
        return len(self._revocations)

    def freshness(self, now: datetime) -> Freshness:
        issued = max(self.trust_list_header.issued_at, self.revocations_header.issued_at)
        expires = min(self.trust_list_header.expires_at, self.revocations_header.expires_at)
        return Freshness(
            self.trust_list_header.version,
            self.revocations_header.version,
            issued,
            expires,
            now - issued,
            expires - now,
        )


def _index_keys(document: dict[str, Any]) -> dict[bytes, tuple[TrustedKey, ...]]:
    entries, revoked = document.get("certificates"), document.get("revoked_kids")
    if not isinstance(entries, list) or not isinstance(revoked, list):
        raise Malformed("trust list must hold certificates and revoked_kids lists")
    withdrawn = set(revoked)
    index: dict[bytes, list[TrustedKey]] = defaultdict(list)
    for entry in entries:
        key = _key(entry)
        if base64.b64encode(key.kid).decode() not in withdrawn:
            index[key.kid].append(key)
    return {kid: tuple(keys) for kid, keys in index.items()}


def _key(entry: Any) -> TrustedKey:
    """One entry; the kid is recomputed from the DER and must match the listed one."""
    try:
        der = base64.b64decode(entry["raw_data"], validate=True)
        certificate = x509.load_der_x509_certificate(der)
        listed_types = frozenset(str(t) for t in entry["certificate_types"])
        kid = hashlib.sha256(der).digest()[:8]
        listed_kid, country = entry["kid"], entry["country"]
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise Malformed(f"malformed certificate entry: {exc}") from exc
    if base64.b64encode(kid).decode() != listed_kid:
        raise Malformed(f"listed kid {listed_kid} is not the kid of its certificate")
    key = certificate.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise Malformed(f"certificate {listed_kid} has neither an EC nor an RSA key")
    try:
        own_types: frozenset[str] = permitted_types(certificate)
    except ValueError:  # unparseable extensions: trust the server's validated list
        own_types = listed_types
    return TrustedKey(kid, str(country), listed_types & own_types, certificate, key)


def _instant(document: dict[str, Any], name: str) -> datetime:
    value = document.get(name)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise Malformed(f"{name} is not an ISO 8601 instant") from exc
    if moment.tzinfo is None:
        raise Malformed(f"{name} has no timezone")
    return moment
