"""Revocation of individual certificates, per the EU DCC model (standards README 4.4).

Three hashes per revoked certificate, each the first 16 bytes of SHA-256:

- ``SIGNATURE``: over the COSE signature; for ECDSA (ES256, 64-byte ``r || s``) over
  ``r`` only, which defeats the ``(r, n - s)`` malleability; for RSA over all of it.
- ``UCI``: over the UTF-8 UVCI (``ci``).
- ``COUNTRYCODEUCI``: over the issuing country code + UVCI.

Hashes are grouped by kid (base64). The offline form keeps each group as one sorted
concatenation of 16-byte hashes, so a lookup is a binary search: O(log n), no parsing
of a million JSON strings, and 16 bytes per entry.
"""

from __future__ import annotations

import base64
import hashlib
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from trust_list.bloom import BloomFilter

HASH_BYTES = 16
ECDSA_SIGNATURE_BYTES = 64


class HashType(StrEnum):
    SIGNATURE = "SIGNATURE"
    UCI = "UCI"
    COUNTRYCODEUCI = "COUNTRYCODEUCI"


class RevokedCertificate(Protocol):
    """What the issuer's register says about one revoked certificate."""

    @property
    def uvci(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def kid(self) -> bytes: ...
    @property
    def signature(self) -> bytes: ...
    @property
    def revoked_at(self) -> datetime: ...
    @property
    def expires_at(self) -> datetime | None:
        """The certificate's own expiry: once past, verifiers refuse it anyway and the entry
        is no longer published (as the EU gateway drops expired batches)."""
        ...


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()[:HASH_BYTES]


def signature_hash(signature: bytes) -> bytes:
    """SIGNATURE hash: ECDSA over r only (first 32 bytes of r || s), RSA over everything."""
    if len(signature) == ECDSA_SIGNATURE_BYTES:
        return _h(signature[:32])
    return _h(signature)


def uci_hash(uvci: str) -> bytes:
    return _h(uvci.encode("utf-8"))


def country_uci_hash(country: str, uvci: str) -> bytes:
    return _h((country + uvci).encode("utf-8"))


def hashes_of(uvci: str, country: str, signature: bytes) -> dict[HashType, bytes]:
    return {
        HashType.SIGNATURE: signature_hash(signature),
        HashType.UCI: uci_hash(uvci),
        HashType.COUNTRYCODEUCI: country_uci_hash(country, uvci),
    }


def _hash_sets(entries: Iterable[RevokedCertificate]) -> dict[str, dict[HashType, set[bytes]]]:
    groups: dict[str, dict[HashType, set[bytes]]] = defaultdict(lambda: defaultdict(set))
    for entry in entries:
        kid = base64.b64encode(entry.kid).decode()
        for kind, digest in hashes_of(entry.uvci, entry.country, entry.signature).items():
            groups[kid][kind].add(digest)
    return groups


def bloom_by_kid(entries: Iterable[RevokedCertificate], fp_rate: float) -> dict[str, Any]:
    """``{kid: Bloom filter JSON}``, one filter per kid holding all three hash types."""
    return {
        kid: BloomFilter.build(set().union(*by_type.values()), fp_rate).to_json()
        for kid, by_type in sorted(_hash_sets(entries).items())
    }


def group_by_kid(entries: Iterable[RevokedCertificate]) -> dict[str, dict[str, str]]:
    """``{kid: {hash type: base64(sorted 16-byte hashes)}}``, the signed document's body."""
    groups = _hash_sets(entries)
    return {
        kid: {
            kind.value: base64.b64encode(b"".join(sorted(hashes))).decode()
            for kind, hashes in by_type.items()
        }
        for kid, by_type in sorted(groups.items())
    }


@dataclass(frozen=True, slots=True)
class SortedHashes:
    """A sorted run of fixed-size hashes with binary search (the offline form)."""

    blob: bytes

    def __post_init__(self) -> None:
        if len(self.blob) % HASH_BYTES:
            raise ValueError("hash list length is not a multiple of 16 bytes")

    def __len__(self) -> int:
        return len(self.blob) // HASH_BYTES

    def __contains__(self, digest: object) -> bool:
        if not isinstance(digest, bytes) or len(digest) != HASH_BYTES:
            return False
        low, high = 0, len(self)
        while low < high:
            middle = (low + high) // 2
            probe = self.blob[middle * HASH_BYTES : (middle + 1) * HASH_BYTES]
            if probe < digest:
                low = middle + 1
            else:
                high = middle
        return self.blob[low * HASH_BYTES : (low + 1) * HASH_BYTES] == digest

    def is_sorted(self, chunk: int = 4096) -> bool:
        """Strictly ascending (so no duplicates); checked in chunks to bound memory."""
        step = chunk * HASH_BYTES
        for start in range(0, len(self.blob), step):
            end = min(start + step + HASH_BYTES, len(self.blob))  # overlap one hash
            items = [self.blob[i : i + HASH_BYTES] for i in range(start, end, HASH_BYTES)]
            if not all(map(operator.lt, items, items[1:])):
                return False
        return True


class RevocationIndex:
    """Answers "is this certificate revoked?" from a verified revocation document's ``kids``."""

    def __init__(self, kids: Mapping[str, Mapping[str, str]]) -> None:
        self._groups: dict[bytes, dict[HashType, SortedHashes]] = {}
        for kid, by_type in kids.items():
            group = {
                HashType(kind): SortedHashes(base64.b64decode(blob, validate=True))
                for kind, blob in by_type.items()
            }
            if not all(hashes.is_sorted() for hashes in group.values()):
                raise ValueError(f"hash list of kid {kid} is not strictly sorted")
            self._groups[base64.b64decode(kid, validate=True)] = group

    def __len__(self) -> int:
        return sum(len(h) for group in self._groups.values() for h in group.values())

    def is_revoked(self, *, kid: bytes, uvci: str, country: str, signature: bytes) -> bool:
        """True when any of the three hashes of this certificate is listed under its kid."""
        group = self._groups.get(kid)
        if not group:
            return False
        wanted = hashes_of(uvci, country, signature)
        return any(wanted[kind] in hashes for kind, hashes in group.items())


class BloomRevocationIndex:
    """The same question over per-kid Bloom filters: never a false "not revoked", and a
    false "revoked" with the filter's stated probability (``fp_rate`` of each filter)."""

    def __init__(self, kids: Mapping[str, Any]) -> None:
        self._filters = {
            base64.b64decode(kid, validate=True): BloomFilter.from_json(value)
            for kid, value in kids.items()
        }

    def is_revoked(self, *, kid: bytes, uvci: str, country: str, signature: bytes) -> bool:
        bloom = self._filters.get(kid)
        if bloom is None:
            return False
        return any(digest in bloom for digest in hashes_of(uvci, country, signature).values())
