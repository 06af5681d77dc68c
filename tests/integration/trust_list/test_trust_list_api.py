"""``GET /trust-list``: signed, versioned, cached, re-signed before expiry, race-free."""

from __future__ import annotations

import base64
import threading
from datetime import timedelta

from cryptography import x509
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock
from tests.integration.trust_list.conftest import der, kid_b64
from tests.unit.trust_list import pki
from trust_list import envelope, keys, publication, service
from vaxx import db
from vaxx.settings import Settings


def _open(body: bytes, anchor: x509.Certificate, clock: MutableClock) -> dict[str, object]:
    return envelope.open_sealed(
        body, kind=envelope.TRUST_LIST, anchor=anchor, now=clock(), max_bytes=10**8
    )


def test_list_is_signed_by_a_signer_under_the_anchor(
    client: TestClient, anchor: x509.Certificate, clock: MutableClock
) -> None:
    response = client.get("/trust-list")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jose+json"
    assert response.headers["cache-control"].startswith("public, max-age=300")
    document = _open(response.content, anchor, clock)
    assert document["version"] == 1
    assert document["issued_at"] == "2026-11-23T09:00:00Z"
    assert document["expires_at"] == "2026-11-25T09:00:00Z"
    assert document["certificates"] == []
    assert document["revoked_kids"] == []


def test_etag_gives_304_until_the_registry_changes(
    client: TestClient,
    anchor: x509.Certificate,
    clock: MutableClock,
    tw_csca: pki.Issued,
    session_factory: sessionmaker[Session],
) -> None:
    first = client.get("/trust-list")
    etag = first.headers["etag"]
    assert client.get("/trust-list").headers["etag"] == etag
    cached = client.get("/trust-list", headers={"If-None-Match": etag})
    assert cached.status_code == 304
    assert cached.content == b""

    dsc = pki.make_dsc(tw_csca)
    with db.transaction(session_factory) as session:
        service.add_dsc(
            session, dsc.certificate, country="TW", source="import", now=clock(), actor="t"
        )
    changed = client.get("/trust-list", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    document = _open(changed.content, anchor, clock)
    assert document["version"] == _open(first.content, anchor, clock)["version"] + 1  # type: ignore[operator]
    [entry] = document["certificates"]  # type: ignore[misc]
    assert entry["kid"] == kid_b64(dsc.certificate)
    assert entry["certificate_types"] == ["recovery", "test", "vaccination"]
    assert [c["country"] for c in document["cscas"]] == ["TW"]  # type: ignore[attr-defined]


def test_revoked_dsc_leaves_the_list_and_its_kid_is_listed(
    client: TestClient,
    anchor: x509.Certificate,
    clock: MutableClock,
    tw_csca: pki.Issued,
    session_factory: sessionmaker[Session],
) -> None:
    dsc = pki.make_dsc(tw_csca)
    kid = kid_b64(dsc.certificate)
    with db.transaction(session_factory) as session:
        service.add_dsc(
            session, dsc.certificate, country="TW", source="import", now=clock(), actor="t"
        )
        service.revoke_dsc(session, kid, reason="key compromise", now=clock(), actor="t")
    document = _open(client.get("/trust-list").content, anchor, clock)
    assert document["certificates"] == []
    assert document["revoked_kids"] == [kid]


def test_list_is_resigned_with_a_higher_version_before_it_expires(
    client: TestClient, anchor: x509.Certificate, clock: MutableClock
) -> None:
    first = _open(client.get("/trust-list").content, anchor, clock)
    clock.now += timedelta(hours=35)
    assert _open(client.get("/trust-list").content, anchor, clock)["version"] == first["version"]
    clock.now += timedelta(hours=2)  # 11 h left: inside the 12 h re-sign window
    again = _open(client.get("/trust-list").content, anchor, clock)
    assert again["version"] == first["version"] + 1  # type: ignore[operator]
    assert again["expires_at"] == "2026-11-26T22:00:00Z"


def test_concurrent_readers_publish_exactly_one_new_version(
    app: FastAPI,
    settings: Settings,
    anchor: x509.Certificate,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
) -> None:
    signer = keys.load_signer(settings)
    policy = publication.Policy.from_settings(settings)
    with session_factory() as session:
        before = publication.trust_list(session, signer=signer, now=clock(), policy=policy)
    with db.transaction(session_factory) as session:
        service.mark_changed(session)
    versions: list[int] = []
    errors: list[BaseException] = []

    def read() -> None:
        try:
            with session_factory() as session:
                published = publication.trust_list(
                    session, signer=signer, now=clock(), policy=policy
                )
            versions.append(published.version)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # One reader takes the build lease and publishes v + 1; the others serve v (still
    # valid) or, having read after the swap, v + 1. Never two documents for one version.
    assert set(versions) <= {before.version, before.version + 1}
    assert before.version + 1 in versions
    with session_factory() as session:
        after = publication.trust_list(session, signer=signer, now=clock(), policy=policy)
    assert after.version == before.version + 1


def test_a_held_build_lease_serves_the_current_document_until_it_times_out(
    settings: Settings,
    anchor: x509.Certificate,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
) -> None:
    signer = keys.load_signer(settings)
    policy = publication.Policy.from_settings(settings)
    with session_factory() as session:
        first = publication.trust_list(session, signer=signer, now=clock(), policy=policy)
    with db.transaction(session_factory) as session:
        service.mark_changed(session)
        assert publication._claim(session, service.TRUST_LIST, clock())  # another process
    with session_factory() as session:
        served = publication.trust_list(session, signer=signer, now=clock(), policy=policy)
    assert served.version == first.version
    clock.now += publication.BUILD_LEASE + timedelta(seconds=1)
    with session_factory() as session:
        rebuilt = publication.trust_list(session, signer=signer, now=clock(), policy=policy)
    assert rebuilt.version == first.version + 1


def test_gateway_shape_lists_our_dscs(
    client: TestClient,
    anchor: x509.Certificate,
    clock: MutableClock,
    tw_csca: pki.Issued,
    session_factory: sessionmaker[Session],
) -> None:
    dsc = pki.make_dsc(tw_csca)
    with db.transaction(session_factory) as session:
        service.add_dsc(
            session, dsc.certificate, country="TW", source="issuer", now=clock(), actor="t"
        )
    response = client.get("/trust-list/eu")
    assert response.status_code == 200
    [item] = response.json()
    assert item["kid"] == kid_b64(dsc.certificate)
    assert item["certificateType"] == "DSC"
    assert item["country"] == "TW"
    assert (
        client.get(
            "/trust-list/eu", headers={"If-None-Match": response.headers["etag"]}
        ).status_code
        == 304
    )
    assert der(dsc.certificate) == base64.b64decode(item["rawData"])


def test_missing_signing_key_is_a_problem_not_a_traceback(client: TestClient) -> None:
    response = client.get("/trust-list")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "trust_list_signing_key_missing"
