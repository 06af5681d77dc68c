"""An in-memory trust-list server for client tests (after python-tuf's RepositorySimulator).

Tests publish new versions, expire them, roll them back and tamper with the bytes; the
client under test downloads through :meth:`TrustListSimulator.fetch`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from tests.unit.trust_list import pki
from trust_list import envelope
from trust_list.client import REVOCATIONS_PATH, TRUST_LIST_PATH, FetchResponse
from trust_list.envelope import Signer
from trust_list.revocation import group_by_kid

BASE_URL = "https://trust.example"


@dataclass(frozen=True)
class Revoked:
    uvci: str
    country: str
    kid: bytes
    signature: bytes
    revoked_at: datetime = pki.NOW
    expires_at: datetime | None = None


@dataclass
class TrustListSimulator:
    now: datetime = pki.NOW
    lifetime: timedelta = timedelta(hours=48)
    anchor: pki.Issued = field(default_factory=pki.make_trust_anchor)
    dscs: list[x509.Certificate] = field(default_factory=list)
    revoked_kids: list[str] = field(default_factory=list)
    revoked: list[Revoked] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=lambda: {"trust": 0, "revocations": 0})
    served: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        issued = pki.make_trust_signer(self.anchor)
        self.signer = Signer(issued.key, issued.certificate)  # type: ignore[arg-type]

    # -- publishing -------------------------------------------------------------------
    def publish(self, *, trust_version: int | None = None, rev_version: int | None = None) -> None:
        """Sign and serve both documents (next versions unless told otherwise)."""
        self.versions["trust"] = trust_version or self.versions["trust"] + 1
        self.versions["revocations"] = rev_version or self.versions["revocations"] + 1
        self.served[TRUST_LIST_PATH] = self.seal(self.trust_document())
        self.served[REVOCATIONS_PATH] = self.seal(self.revocation_document())

    def trust_document(self) -> dict[str, Any]:
        return {
            **self._header(envelope.TRUST_LIST, self.versions["trust"]),
            "cscas": [],
            "certificates": [_entry(dsc) for dsc in self.dscs],
            "revoked_kids": self.revoked_kids,
        }

    def revocation_document(self) -> dict[str, Any]:
        return {
            **self._header(envelope.REVOCATIONS, self.versions["revocations"]),
            "hash_bytes": 16,
            "kids": group_by_kid(self.revoked),
        }

    def seal(self, document: dict[str, Any], signer: Signer | None = None) -> bytes:
        return envelope.seal(document, document["type"], signer or self.signer)

    def tamper(self, path: str, change: Callable[[bytes], bytes]) -> None:
        self.served[path] = change(self.served[path])

    def _header(self, kind: str, version: int) -> dict[str, Any]:
        return {
            "type": kind,
            "version": version,
            "issued_at": _iso(self.now),
            "expires_at": _iso(self.now + self.lifetime),
        }

    # -- serving ----------------------------------------------------------------------
    def fetch(self, url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        self.requests.append((url, dict(headers)))
        path = url.removeprefix(BASE_URL)
        body = self.served.get(path)
        if body is None:
            return FetchResponse(404, b"")
        etag = self.etag(path)
        if headers.get("If-None-Match") == etag:
            return FetchResponse(304, b"", etag)
        return FetchResponse(200, body, etag)

    def etag(self, path: str) -> str:
        body = self.served[path]
        version = self.versions["trust" if path == TRUST_LIST_PATH else "revocations"]
        return f'"{version}-{hashlib.sha256(body).hexdigest()[:16]}"'


def _entry(dsc: x509.Certificate) -> dict[str, Any]:
    der = dsc.public_bytes(Encoding.DER)
    return {
        "kid": base64.b64encode(hashlib.sha256(der).digest()[:8]).decode(),
        "country": "TW",
        "certificate_types": ["recovery", "test", "vaccination"],
        "not_before": _iso(dsc.not_valid_before_utc),
        "not_after": _iso(dsc.not_valid_after_utc),
        "thumbprint": hashlib.sha256(der).hexdigest(),
        "raw_data": base64.b64encode(der).decode(),
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
