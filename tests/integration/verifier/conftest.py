"""Fixtures: a certificate issued and trusted by this server's own registry."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from sqlalchemy.orm import Session, sessionmaker

from issuer import DccType, hc1
from issuer.keys import open_store
from tests.conftest import MutableClock
from trust_list import keys, sources
from vaxx import db
from vaxx.settings import Settings


@pytest.fixture
def issued(
    shared_dir: Path,
    settings: Settings,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
) -> str:
    """An HC1 signed by this server's own DSC, which the trust registry then trusts."""
    decoded = json.loads(
        (shared_dir / "standards/taiwan-ig/tw-dcc-samples/VAC.decoded.json").read_text()
    )
    store = open_store(settings)
    store.init(country="TW", now=clock(), development=True)
    with db.transaction(session_factory) as session:
        sources.sync_issuer_keys(session, settings, now=clock(), actor="test")
    signer = store.signer_for(DccType.VACCINATION, clock())
    signed = hc1.sign(
        decoded["cwt_claims"]["-260"]["1"],
        signer=signer,
        country="TW",
        issued_at=clock(),
        expires_at=clock() + timedelta(days=365),
    )
    return str(signed.hc1)


@pytest.fixture
def anchor(settings: Settings, clock: MutableClock) -> x509.Certificate:
    """The trust-list anchor a verifier pins (signing keys created in the data dir)."""
    return keys.generate_keys(settings, clock())
