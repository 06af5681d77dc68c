"""Idempotency, batch isolation, revocation and re-issue through the HTTP API, and what
trust_list reads back from the register."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from issuer import revocations_since
from tests.conftest import MutableClock, auth
from tests.integration.issuer.conftest import broken
from tests.integration.issuer.test_issue_api import URL, count
from tests.unit.issuer.independent_decoder import Decoded
from vaxx import audit
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings


def issue(client: TestClient, headers: dict[str, str], bundle: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=bundle, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_idempotency_key_replays_the_first_certificate(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    headers = {**issuer_headers, "Idempotency-Key": "clinic-42-visit-7"}
    first = client.post(URL, json=vaccination_bundle, headers=headers)
    again = client.post(URL, json=vaccination_bundle, headers=headers)
    assert first.status_code == again.status_code == 201
    claim = ("claim_code", "claim_code_expires_at")
    assert {k: v for k, v in first.json().items() if k not in claim} == {
        k: v for k, v in again.json().items() if k not in claim
    }
    # The first answer may have been lost: the replay carries a new claim code.
    assert first.json()["claim_code"]
    assert again.json()["claim_code"]
    assert first.json()["claim_code"] != again.json()["claim_code"]
    assert first.headers["Idempotent-Replayed"] == "false"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(session_factory) == 1


def test_idempotency_key_with_another_body_is_409(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    test_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    headers = {**issuer_headers, "Idempotency-Key": "k1"}
    assert client.post(URL, json=vaccination_bundle, headers=headers).status_code == 201
    response = client.post(URL, json=test_bundle, headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert count(session_factory) == 1


def test_idempotency_keys_belong_to_one_client(
    client: TestClient,
    issuer_headers: dict[str, str],
    make_token: Callable[..., str],
    vaccination_bundle: dict[str, Any],
) -> None:
    other = {**auth(make_token(Scope.ISSUER, name="other clinic")), "Idempotency-Key": "k"}
    mine = {**issuer_headers, "Idempotency-Key": "k"}
    first = client.post(URL, json=vaccination_bundle, headers=mine).json()
    second = client.post(URL, json=vaccination_bundle, headers=other).json()
    assert first["id"] != second["id"]


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there"], ids=["empty", "long", "control"])
def test_malformed_idempotency_key_is_422(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any], key: str
) -> None:
    response = client.post(
        URL, json=vaccination_bundle, headers={**issuer_headers, "Idempotency-Key": key}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "issuer_bad_request"


def test_batch_isolates_a_bad_item(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    test_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    verify: Callable[[str], Decoded],
) -> None:
    bundles = [vaccination_bundle, broken(vaccination_bundle), test_bundle, "not a bundle"]
    response = client.post(f"{URL}/batch", json={"bundles": bundles}, headers=issuer_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["issued"], body["failed"]) == (2, 2)
    good, bad, other, junk = body["results"]
    assert [good["status"], bad["status"], other["status"], junk["status"]] == [201, 422, 201, 422]
    assert junk["problem"]["code"] == "issuer_bad_request"
    assert bad["problem"]["code"] == "profile_invalid"
    assert bad["problem"]["operation_outcome"]["issue"]
    assert bad["certificate"] is None
    for item in (good, other):
        decoded = verify(item["certificate"]["hc1"])
        assert decoded.claims[-260][1]["nam"]["fnt"]
    assert count(session_factory) == 2
    with session_factory() as session:
        assert len(audit.recent(session, action="certificate.issue")) == 2


def test_batch_over_the_configured_size_is_refused_whole(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    settings: Settings,
    session_factory: sessionmaker[Session],
) -> None:
    settings.issuer_batch_max = 2
    bundles = [vaccination_bundle] * 3
    response = client.post(f"{URL}/batch", json={"bundles": bundles}, headers=issuer_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "batch_too_large"
    assert count(session_factory) == 0


def test_get_returns_the_register_entry_and_the_source_bundle(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    fetched = client.get(f"{URL}/{issued['id']}", headers=issuer_headers)
    assert fetched.status_code == 200
    assert issued["claim_code"]
    # A read never shows the holder's claim code: only the answer that issued it does.
    assert fetched.json() == {**issued, "claim_code": None, "claim_code_expires_at": None}
    fhir = client.get(issued["links"]["fhir"], headers=issuer_headers)
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.json() == vaccination_bundle
    missing = client.get(f"{URL}/nope", headers=issuer_headers)
    assert missing.status_code == 404
    assert missing.json()["code"] == "certificate_not_found"


def test_revoke_is_audited_and_reaches_revocations_since(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    verify: Callable[[str], Decoded],
    clock: MutableClock,
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    before = clock.now
    clock.now += timedelta(minutes=5)
    response = client.post(
        f"{URL}/{issued['id']}/revoke", json={"reason": "issued in error"}, headers=issuer_headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "revoked"
    assert response.json()["revocation_reason"] == "issued in error"
    again = client.post(
        f"{URL}/{issued['id']}/revoke", json={"reason": "x"}, headers=issuer_headers
    )
    assert again.status_code == 409
    with session_factory() as session:
        [revocation] = revocations_since(session, before)
        assert revocations_since(session, clock.now) == []
        [event] = audit.recent(session, action="certificate.revoke")
    assert revocation.uvci == issued["uvci"]
    assert revocation.country == "TW"
    decoded = verify(issued["hc1"])
    assert revocation.signature == decoded.signature
    assert revocation.signature_hash == hashlib.sha256(decoded.signature[:32]).digest()
    assert revocation.uci_hash == hashlib.sha256(issued["uvci"].encode()).digest()
    assert revocation.country_uci_hash == hashlib.sha256(f"TW{issued['uvci']}".encode()).digest()
    assert event.target == issued["id"]
    assert event.details["reason"] == "issued in error"


def test_revoke_needs_a_reason(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    issued = issue(client, issuer_headers, vaccination_bundle)
    response = client.post(
        f"{URL}/{issued['id']}/revoke", json={"reason": ""}, headers=issuer_headers
    )
    assert response.status_code == 422


def test_reissue_gives_a_new_uvci_and_supersedes_the_old(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    verify: Callable[[str], Decoded],
) -> None:
    old = issue(client, issuer_headers, vaccination_bundle)
    corrected = copy.deepcopy(vaccination_bundle)
    corrected["entry"][0]["resource"]["birthDate"] = "1985-03-15"
    response = client.post(f"{URL}/{old['id']}/reissue", json=corrected, headers=issuer_headers)
    assert response.status_code == 201, response.text
    new = response.json()
    assert new["uvci"] != old["uvci"]
    assert verify(new["hc1"]).dcc["dob"] == "1985-03-15"
    old_now = client.get(f"{URL}/{old['id']}", headers=issuer_headers).json()
    assert old_now["status"] == "superseded"
    assert old_now["superseded_by"] == new["id"]
    with session_factory() as session:
        assert [r.certificate_id for r in revocations_since(session)] == [old["id"]]
    again = client.post(f"{URL}/{old['id']}/reissue", json=corrected, headers=issuer_headers)
    assert again.status_code == 409


def test_reissue_with_an_invalid_bundle_changes_nothing(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    old = issue(client, issuer_headers, vaccination_bundle)
    response = client.post(
        f"{URL}/{old['id']}/reissue", json=broken(vaccination_bundle), headers=issuer_headers
    )
    assert response.status_code == 422
    assert client.get(f"{URL}/{old['id']}", headers=issuer_headers).json()["status"] == "valid"
    assert count(session_factory) == 1


def test_readiness_reports_the_keys(client: TestClient, keys: object) -> None:
    response = client.get("/readyz")
    assert response.json()["checks"]["keys"] == "ok"


def test_production_readiness_fails_without_keys(client: TestClient, settings: Settings) -> None:
    settings.env = "production"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["keys"] == "failing: KeysMissing"
    assert not (settings.data_dir / "keys").exists()


def test_a_development_app_without_keys_creates_them_when_first_needed(
    client: TestClient,
    settings: Settings,
    make_token: Callable[..., str],
    vaccination_bundle: dict[str, Any],
) -> None:
    response = client.post(URL, json=vaccination_bundle, headers=auth(make_token(Scope.ISSUER)))
    assert response.status_code == 201, response.text
    assert (settings.data_dir / "keys" / "manifest.json").is_file()
    assert client.get("/readyz").json()["checks"]["keys"] == "ok"
