"""The verifier-side client against the real API: download, 304 revalidation, revocations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from tests.integration.trust_list.conftest import FakeRegister, Revoked
from tests.unit.trust_list import pki
from trust_list import service
from trust_list.chain import kid_of
from trust_list.client import FetchResponse, TrustListClient
from vaxx import db

BASE = "http://testserver"
SIGNATURE = bytes(range(1, 65))


def _fetch(client: TestClient, log: list[int]):  # type: ignore[no-untyped-def]
    def fetch(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        response = client.get(url.removeprefix(BASE), headers=dict(headers))
        log.append(response.status_code)
        return FetchResponse(response.status_code, response.content, response.headers.get("etag"))

    return fetch


def test_verifier_client_end_to_end(
    client: TestClient,
    anchor: x509.Certificate,
    register: FakeRegister,
    clock: MutableClock,
    tw_csca: pki.Issued,
    session_factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    dsc = pki.make_dsc(tw_csca)
    with db.transaction(session_factory) as session:
        service.add_dsc(
            session, dsc.certificate, country="TW", source="issuer", now=clock(), actor="t"
        )
    kid = kid_of(dsc.certificate)
    register.entries.append(Revoked("URN:UVCI:01:TW:ABC#X", "TW", kid, SIGNATURE, clock()))
    statuses: list[int] = []
    verifier = TrustListClient(BASE, anchor, tmp_path / "cache", fetch=_fetch(client, statuses))

    data = verifier.refresh(clock())
    assert [key.certificate for key in data.keys_for(kid)] == [dsc.certificate]
    assert data.is_revoked(kid=kid, uvci="URN:UVCI:01:TW:ABC#X", country="TW", signature=b"")
    assert data.is_revoked(kid=kid, uvci="", country="", signature=SIGNATURE)
    assert not data.is_revoked(kid=kid, uvci="URN:UVCI:01:TW:OK#Y", country="TW", signature=b"z")

    verifier.refresh(clock())
    assert statuses == [200, 200, 304, 304]

    clock.now += timedelta(minutes=5)
    register.entries.append(Revoked("URN:UVCI:01:TW:NEW#Z", "TW", kid, b"s" * 64, clock()))
    data = verifier.refresh(clock())
    assert statuses[-2:] == [304, 200]
    assert data.is_revoked(kid=kid, uvci="URN:UVCI:01:TW:NEW#Z", country="TW", signature=b"")
    assert data.freshness(clock()).revocations_version == 2

    offline = TrustListClient(BASE, anchor, tmp_path / "cache", fetch=_fetch(client, statuses))
    assert offline.load(clock() + timedelta(hours=40)).keys_for(kid)
