"""``GET /trust-list/revocations``: EU hashes grouped by kid, ETag, and the since= delta."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from cryptography import x509
from fastapi.testclient import TestClient

from tests.conftest import MutableClock
from tests.integration.trust_list.conftest import FakeRegister, Revoked
from trust_list import envelope
from trust_list.revocation import RevocationIndex

KID = bytes.fromhex("b40238f8f54f10e4")
SIGNATURE = bytes(range(64))


def _open(body: bytes, anchor: x509.Certificate, clock: MutableClock) -> dict[str, object]:
    return envelope.open_sealed(
        body, kind=envelope.REVOCATIONS, anchor=anchor, now=clock(), max_bytes=10**8
    )


def test_hashes_follow_the_eu_model(
    client: TestClient, anchor: x509.Certificate, register: FakeRegister, clock: MutableClock
) -> None:
    register.entries.append(Revoked("URN:UVCI:01:TW:1#A", "TW", KID, SIGNATURE, clock()))
    response = client.get("/trust-list/revocations")
    assert response.status_code == 200
    document = _open(response.content, anchor, clock)
    group = document["kids"][base64.b64encode(KID).decode()]  # type: ignore[index]
    expected = {
        "SIGNATURE": hashlib.sha256(SIGNATURE[:32]).digest()[:16],
        "UCI": hashlib.sha256(b"URN:UVCI:01:TW:1#A").digest()[:16],
        "COUNTRYCODEUCI": hashlib.sha256(b"TWURN:UVCI:01:TW:1#A").digest()[:16],
    }
    assert {k: base64.b64decode(v) for k, v in group.items()} == expected


def test_etag_and_new_version_on_new_revocation(
    client: TestClient, anchor: x509.Certificate, register: FakeRegister, clock: MutableClock
) -> None:
    first = client.get("/trust-list/revocations")
    etag = first.headers["etag"]
    assert client.get("/trust-list/revocations", headers={"If-None-Match": etag}).status_code == 304
    register.entries.append(Revoked("URN:UVCI:01:TW:2#B", "TW", KID, SIGNATURE, clock()))
    second = client.get("/trust-list/revocations", headers={"If-None-Match": etag})
    assert second.status_code == 200
    assert _open(second.content, anchor, clock)["version"] == 2
    index = RevocationIndex(_open(second.content, anchor, clock)["kids"])  # type: ignore[arg-type]
    assert index.is_revoked(kid=KID, uvci="URN:UVCI:01:TW:2#B", country="TW", signature=b"")


def test_since_gives_a_signed_delta(
    client: TestClient, anchor: x509.Certificate, register: FakeRegister, clock: MutableClock
) -> None:
    register.entries.append(Revoked("URN:UVCI:01:TW:OLD#1", "TW", KID, SIGNATURE, clock()))
    later = clock() + timedelta(days=1)
    register.entries.append(Revoked("URN:UVCI:01:TW:NEW#2", "TW", KID, SIGNATURE[::-1], later))
    response = client.get("/trust-list/revocations", params={"since": "2026-11-24T00:00:00Z"})
    assert response.status_code == 200
    delta = _open(response.content, anchor, clock)
    assert delta["since"] == "2026-11-24T00:00:00Z"
    index = RevocationIndex(delta["kids"])  # type: ignore[arg-type]
    assert index.is_revoked(kid=KID, uvci="URN:UVCI:01:TW:NEW#2", country="TW", signature=b"")
    assert not index.is_revoked(kid=KID, uvci="URN:UVCI:01:TW:OLD#1", country="TW", signature=b"")


def test_since_without_timezone_is_a_422(client: TestClient, register: FakeRegister) -> None:
    response = client.get("/trust-list/revocations", params={"since": "2026-11-24T00:00:00"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_default_source_is_the_issuers_register(
    client: TestClient, anchor: x509.Certificate, clock: MutableClock
) -> None:
    response = client.get("/trust-list/revocations")
    assert response.status_code == 200, response.text
    assert _open(response.content, anchor, clock)["kids"] == {}


def test_bloom_form_states_its_rate_and_finds_every_revoked_certificate(
    client: TestClient, anchor: x509.Certificate, register: FakeRegister, clock: MutableClock
) -> None:
    from trust_list.revocation import BloomRevocationIndex

    entries = [
        Revoked(f"URN:UVCI:01:TW:{n}#B", "TW", KID, bytes([n]) * 64, clock()) for n in range(40)
    ]
    register.entries.extend(entries)
    response = client.get("/trust-list/revocations/bloom")
    assert response.status_code == 200
    document = envelope.open_sealed(
        response.content,
        kind=envelope.REVOCATIONS_BLOOM,
        anchor=anchor,
        now=clock(),
        max_bytes=10**8,
    )
    assert document["fp_rate"] == 0.001
    index = BloomRevocationIndex(document["kids"])
    assert all(index.is_revoked(kid=KID, uvci=e.uvci, country="TW", signature=b"") for e in entries)
    etag = response.headers["etag"]
    assert (
        client.get("/trust-list/revocations/bloom", headers={"If-None-Match": etag}).status_code
        == 304
    )


def test_force_resign_gives_every_document_a_new_version(
    client: TestClient,
    anchor: x509.Certificate,
    register: FakeRegister,
    clock: MutableClock,
    session_factory: object,
) -> None:
    from trust_list import service
    from vaxx import db

    paths = ["/trust-list", "/trust-list/revocations", "/trust-list/revocations/bloom"]
    before = [client.get(path).headers["etag"] for path in paths]
    with db.transaction(session_factory) as session:  # type: ignore[arg-type]
        service.force_resign(session)
    after = [client.get(path).headers["etag"] for path in paths]
    assert [tag.split("-")[0] for tag in after] == ['"2'] * 3
    assert all(old != new for old, new in zip(before, after, strict=True))


def test_expired_certificates_are_no_longer_listed(
    client: TestClient, anchor: x509.Certificate, register: FakeRegister, clock: MutableClock
) -> None:
    soon = clock() + timedelta(days=2)
    register.entries.append(Revoked("URN:UVCI:01:TW:SHORT#1", "TW", KID, SIGNATURE, clock(), soon))
    listed = RevocationIndex(
        _open(client.get("/trust-list/revocations").content, anchor, clock)["kids"]
    )  # type: ignore[arg-type]
    assert listed.is_revoked(kid=KID, uvci="URN:UVCI:01:TW:SHORT#1", country="TW", signature=b"")
    clock.now = soon + timedelta(hours=1)
    later = _open(client.get("/trust-list/revocations").content, anchor, clock)
    assert later["kids"] == {}
