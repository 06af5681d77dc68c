"""Issue #6 "done when": a verifier holding only a cached trust list verifies our
certificates offline and rejects a revoked one."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

import verifier
from issuer import DccType, hc1
from issuer.keys import open_store
from tests.conftest import MutableClock
from tests.integration.trust_list.conftest import FakeRegister, Revoked
from trust_list import sources
from trust_list.client import FetchResponse, TrustListClient
from vaxx import db
from vaxx.settings import Settings

BASE = "http://testserver"


@pytest.fixture
def payload(shared_dir: Path) -> dict[str, object]:
    decoded = json.loads(
        (shared_dir / "standards/taiwan-ig/tw-dcc-samples/VAC.decoded.json").read_text()
    )
    dcc: dict[str, object] = decoded["cwt_claims"]["-260"]["1"]
    return dcc


def test_cached_list_verifies_ours_offline_and_rejects_a_revoked_one(
    client: TestClient,
    anchor: x509.Certificate,
    register: FakeRegister,
    settings: Settings,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
    payload: dict[str, object],
    tmp_path: Path,
) -> None:
    store = open_store(settings)
    store.init(country="TW", now=clock(), development=True)
    with db.transaction(session_factory) as session:
        sources.sync_issuer_keys(session, settings, now=clock(), actor="test")
    signer = store.signer_for(DccType.VACCINATION, clock())
    issued_at = clock()
    expires = issued_at + timedelta(days=365)
    good = hc1.sign(payload, signer=signer, country="TW", issued_at=issued_at, expires_at=expires)
    revoked = hc1.sign(
        payload, signer=signer, country="TW", issued_at=issued_at, expires_at=expires
    )
    register.entries.append(
        Revoked("URN:UVCI:01:TW:unrelated#1", "TW", revoked.kid, revoked.signature, clock())
    )

    def fetch(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        response = client.get(url.removeprefix(BASE), headers=dict(headers))
        return FetchResponse(response.status_code, response.content, response.headers.get("etag"))

    TrustListClient(BASE, anchor, tmp_path / "cache", fetch=fetch).refresh(clock())

    def offline(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        raise AssertionError("the verifier is offline")

    later = clock() + timedelta(hours=30)
    trust = TrustListClient(BASE, anchor, tmp_path / "cache", fetch=offline).load(later)
    policy = verifier.Policy(revocation=trust)
    accepted = verifier.check(good.hc1, trust=trust, now=later, policy=policy)
    assert accepted.verdict == verifier.Verdict.VALID, [
        (s.code, s.message) for s in accepted.steps if s.ok is False
    ]
    refused = verifier.check(revoked.hc1, trust=trust, now=later, policy=policy)
    assert refused.verdict == verifier.Verdict.INVALID
    assert [s.code for s in refused.steps if s.ok is False] == ["certificate_revoked"]
