"""Wallet API fixtures: certificates issued over the real issuer API (development keys),
claim codes made through the issuer-scope endpoint, and a recording notifier."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import auth
from tests.integration.issuer.conftest import (  # noqa: F401 - fixtures reused as they are
    dev_key_template,
    issuer_headers,
    keys,
    test_bundle,
    vaccination_bundle,
)
from tests.integration.wallet_api.helpers import RecordingNotifier

Issued = dict[str, Any]


@pytest.fixture
def notifier(app: FastAPI) -> RecordingNotifier:
    recording = RecordingNotifier()
    app.state.wallet_notifier = recording
    return recording


def other_person(bundle: dict[str, Any]) -> dict[str, Any]:
    """The same record for a different person (another national ID and birth date)."""
    changed = copy.deepcopy(bundle)
    for entry in changed["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Patient":
            resource["identifier"][0]["value"] = "B123456780"
            resource["birthDate"] = "1990-07-01"
            resource["name"][0].update({"text": "林美華", "family": "林", "given": ["美華"]})
            resource["name"][1].update(
                {"text": "LIN, MEI-HUA", "family": "LIN", "given": ["MEI-HUA"]}
            )
    return changed


@pytest.fixture
def issue(
    issuer_headers: dict[str, str],  # noqa: F811 - the imported fixture, requested
    client: TestClient,
    notifier: RecordingNotifier,
) -> Callable[[dict[str, Any]], tuple[Issued, str]]:
    """Issue ``bundle`` over the issuer API; return the certificate and a claim code."""

    def make(bundle: dict[str, Any]) -> tuple[Issued, str]:
        issued = client.post("/issuer/certificates", json=bundle, headers=issuer_headers)
        assert issued.status_code == 201, issued.text
        body: Issued = issued.json()
        made = client.post(
            "/wallet/api/claim-codes", json={"certificate_id": body["id"]}, headers=issuer_headers
        )
        assert made.status_code == 201, made.text
        return body, str(made.json()["claim_code"])

    return make


@pytest.fixture
def claim(client: TestClient) -> Callable[..., dict[str, str]]:
    """Claim and return the holder's auth headers."""

    def run(code: str, birth_date: str = "1985-03-14") -> dict[str, str]:
        response = client.post("/wallet/api/claim", json={"code": code, "birth_date": birth_date})
        assert response.status_code == 200, response.text
        return auth(response.json()["token"])

    return run
