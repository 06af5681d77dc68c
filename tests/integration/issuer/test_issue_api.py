"""POST /issuer/certificates: every issued HC1 verifies in the independent decoder; bad input
is a 422 problem carrying the OperationOutcome and leaves nothing behind."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from issuer.keys import DccType, KeyStore
from issuer.models import IssuedCertificate
from tests.conftest import MutableClock, auth
from tests.integration.issuer.conftest import broken
from tests.unit.issuer.independent_decoder import Decoded
from vaxx import audit
from vaxx.auth.scopes import Scope

URL = "/issuer/certificates"


def count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(IssuedCertificate)) or 0)


def test_vaccination_example_is_accepted_as_is_and_verifies(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    verify: Callable[[str], Decoded],
    clock: MutableClock,
) -> None:
    response = client.post(URL, json=vaccination_bundle, headers=issuer_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) >= {"id", "uvci", "type", "hc1", "issued_at", "expires_at", "links"}
    assert body["type"] == "vaccination"
    assert set(body["links"]) == {"qr_png", "qr_svg", "pdf", "fhir"}
    assert body["links"]["qr_png"].endswith(f"/issuer/certificates/{body['id']}/qr.png")
    decoded = verify(body["hc1"])
    assert decoded.alg == -7
    assert decoded.claims[1] == "TW"
    assert decoded.claims[6] == int(clock.now.timestamp())
    assert decoded.claims[4] - decoded.claims[6] == 365 * 86400
    dcc = decoded.dcc
    assert dcc["nam"] == {"fn": "陳", "gn": "小明", "fnt": "CHEN", "gnt": "HSIAO<MING"}
    assert dcc["dob"] == "1985-03-14"
    [entry] = dcc["v"]
    assert entry["ci"] == body["uvci"]
    assert (entry["mp"], entry["dn"], entry["sd"], entry["dt"]) == (
        "EU/1/20/1528",
        2,
        2,
        "2021-08-02",
    )
    assert datetime.fromisoformat(body["expires_at"]) == datetime.fromtimestamp(
        decoded.claims[4], UTC
    )
    assert response.headers["Location"].endswith(body["id"])
    assert "PRIVATE" not in response.text


def test_test_certificate_example_verifies_with_test_validity(
    client: TestClient,
    issuer_headers: dict[str, str],
    test_bundle: dict[str, Any],
    verify: Callable[[str], Decoded],
) -> None:
    response = client.post(URL, json=test_bundle, headers=issuer_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["type"] == "test"
    decoded = verify(body["hc1"])
    [entry] = decoded.dcc["t"]
    assert entry["ci"] == body["uvci"]
    assert decoded.claims[4] - decoded.claims[6] == 30 * 86400


def test_invalid_bundle_is_a_422_problem_with_the_operation_outcome(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    response = client.post(URL, json=broken(vaccination_bundle), headers=issuer_headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "profile_invalid"
    assert problem["operation_outcome"]["resourceType"] == "OperationOutcome"
    assert problem["operation_outcome"]["issue"]
    assert count(session_factory) == 0


@pytest.mark.parametrize(
    "body",
    [
        pytest.param([1, 2], id="json-array"),
        pytest.param({"resourceType": "Patient"}, id="not-a-bundle"),
    ],
)
def test_non_bundle_bodies_are_422(
    client: TestClient, issuer_headers: dict[str, str], body: object
) -> None:
    response = client.post(URL, json=body, headers=issuer_headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_idempotent_body_with_an_integer_beyond_64_bits_is_422(
    client: TestClient, issuer_headers: dict[str, str]
) -> None:
    """A regression the OpenAPI fuzzing found: the idempotency digest once raised a 500."""
    headers = issuer_headers | {"Idempotency-Key": "fuzz-1"}
    response = client.post(URL, json={"": -(2**63) - 1}, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "issuer_bad_request"


def test_wrong_scope_is_403_and_no_token_401(
    client: TestClient, make_token: Callable[..., str], vaccination_bundle: dict[str, Any]
) -> None:
    verifier = auth(make_token(Scope.VERIFIER))
    assert client.post(URL, json=vaccination_bundle, headers=verifier).status_code == 403
    assert client.post(URL, json=vaccination_bundle).status_code == 401


def test_issue_is_audited_without_personal_data(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    body = client.post(URL, json=vaccination_bundle, headers=issuer_headers).json()
    with session_factory() as session:
        [event] = audit.recent(session, action="certificate.issue")
    assert event.target == body["id"]
    assert event.actor.startswith("client:")
    assert body["uvci"] not in str(event.details)
    assert event.details["kind"] == "vaccination"


def test_a_crash_mid_request_leaves_nothing_half_written(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash after the certificate was added")

    monkeypatch.setattr(audit, "record", crash)
    response = client.post(URL, json=vaccination_bundle, headers=issuer_headers)
    assert response.status_code == 500
    assert "simulated" not in response.text
    assert count(session_factory) == 0


def test_no_signing_key_is_503_problem(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    clock: MutableClock,
) -> None:
    clock.now = clock.now + timedelta(days=3 * 365)
    response = client.post(URL, json=vaccination_bundle, headers=issuer_headers)
    assert response.status_code == 503
    assert response.json()["code"] == "issuer_no_signing_key"


def _positive(bundle: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(bundle)
    for entry in changed["entry"]:
        if entry["resource"]["resourceType"] == "Observation":
            entry["resource"]["valueCodeableConcept"] = {
                "coding": [{"system": "http://snomed.info/sct", "code": "260373001"}]
            }
    return changed


def test_recovery_certificate_from_a_positive_naat(
    client: TestClient,
    issuer_headers: dict[str, str],
    test_bundle: dict[str, Any],
    verify: Callable[[str], Decoded],
) -> None:
    response = client.post(
        f"{URL}?type=recovery", json=_positive(test_bundle), headers=issuer_headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["type"] == "recovery"
    decoded = verify(body["hc1"])
    [entry] = decoded.dcc["r"]
    assert entry["ci"] == body["uvci"]
    assert decoded.claims[4] - decoded.claims[6] == 180 * 86400


def test_recovery_from_a_negative_test_is_422(
    client: TestClient, issuer_headers: dict[str, str], test_bundle: dict[str, Any]
) -> None:
    response = client.post(f"{URL}?type=recovery", json=test_bundle, headers=issuer_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "profile_invalid"


def test_a_dsc_restricted_to_tests_cannot_sign_vaccinations(
    client: TestClient,
    issuer_headers: dict[str, str],
    keys: KeyStore,
    vaccination_bundle: dict[str, Any],
    test_bundle: dict[str, Any],
    verify: Callable[[str], Decoded],
    clock: MutableClock,
) -> None:
    """Only the EKU-permitted DSC signs; the running app sees a rotation without a restart."""
    [original] = keys.dscs()
    test_only = keys.rotate(now=clock.now, types=[DccType.TEST])
    test_cert = client.post(URL, json=test_bundle, headers=issuer_headers).json()
    vaccination = client.post(URL, json=vaccination_bundle, headers=issuer_headers).json()
    assert verify(test_cert["hc1"]).kid == test_only.kid
    assert verify(vaccination["hc1"]).kid == original.kid
