"""Fixtures for the trust-list API: keys on disk, a registry seeded with one country."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from tests.unit.trust_list import pki
from trust_list import keys, service
from trust_list.deps import get_revocation_source
from vaxx import db
from vaxx.settings import Settings


@dataclass(frozen=True)
class Revoked:
    uvci: str
    country: str
    kid: bytes
    signature: bytes
    revoked_at: datetime
    expires_at: datetime | None = None


@dataclass
class FakeRegister:
    """Stands in for the issuer's register of revoked certificates."""

    entries: list[Revoked] = field(default_factory=list)

    def __call__(self, session: Session, since: datetime | None) -> list[Revoked]:
        return [e for e in self.entries if since is None or e.revoked_at > since]


@pytest.fixture
def anchor(settings: Settings, clock: MutableClock) -> x509.Certificate:
    return keys.generate_keys(settings, clock())


@pytest.fixture
def register(app: FastAPI, anchor: x509.Certificate) -> FakeRegister:
    fake = FakeRegister()
    app.dependency_overrides[get_revocation_source] = lambda: fake
    return fake


@pytest.fixture
def tw_csca(session_factory: sessionmaker[Session], clock: MutableClock) -> pki.Issued:
    csca = pki.make_csca("TW")
    with db.transaction(session_factory) as session:
        service.add_csca(session, der(csca.certificate), now=clock(), actor="test")
    return csca


def der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(Encoding.DER)


def kid_b64(certificate: x509.Certificate) -> str:
    return base64.b64encode(hashlib.sha256(der(certificate)).digest()[:8]).decode()


def gateway_item(certificate: x509.Certificate, country: str, kind: str = "DSC") -> dict[str, str]:
    raw = der(certificate)
    return {
        "kid": kid_b64(certificate),
        "timestamp": "2026-05-01T10:00:00.000Z",
        "country": country,
        "certificateType": kind,
        "thumbprint": hashlib.sha256(raw).hexdigest(),
        "signature": "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwGggCSABA==",
        "rawData": base64.b64encode(raw).decode(),
    }
