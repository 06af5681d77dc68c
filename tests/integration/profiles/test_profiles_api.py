"""POST /profiles/validate and POST /profiles/dcc through the real app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from profiles.schemas import PREVIEW_UVCI, TAIWAN_CDC


@pytest.fixture
def vaccination(shared_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (shared_dir / "examples" / "issue-vaccination-request.json").read_text("utf-8")
    )
    return data


def test_validate_accepts_the_clinic_example_without_a_token(
    client: TestClient, vaccination: dict[str, Any]
) -> None:
    response = client.post("/profiles/validate", json=vaccination)
    assert response.status_code == 200
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert [i["severity"] for i in body["issue"]] == ["information"]


def test_validate_lists_every_problem_with_its_element(
    client: TestClient, vaccination: dict[str, Any]
) -> None:
    patient = vaccination["entry"][0]["resource"]
    patient["identifier"][0]["value"] = "A123456788"  # wrong check digit
    patient["birthDate"] = "2090-01-01"  # in the future (clock: 2026-11-23)
    response = client.post("/profiles/validate", json=vaccination)
    assert response.status_code == 200
    expressions = {i["expression"][0] for i in response.json()["issue"] if i["severity"] == "error"}
    assert expressions == {
        "Bundle.entry[0].resource.identifier[0].value",
        "Bundle.entry[0].resource.birthDate",
    }


def test_dcc_preview_of_the_clinic_example(client: TestClient, vaccination: dict[str, Any]) -> None:
    response = client.post("/profiles/dcc", json=vaccination)
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "vaccination"
    entry = body["payload"]["v"][0]
    assert (entry["ci"], entry["is"], entry["mp"], entry["dt"]) == (
        PREVIEW_UVCI,
        TAIWAN_CDC,
        "EU/1/20/1528",
        "2021-08-02",
    )


def test_dcc_preview_of_an_invalid_bundle_is_a_problem_with_the_outcome(
    client: TestClient, vaccination: dict[str, Any]
) -> None:
    del vaccination["entry"][3]["resource"]["lotNumber"]
    response = client.post("/profiles/dcc", json=vaccination)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "profile_invalid"
    outcome = body["operation_outcome"]
    assert outcome["resourceType"] == "OperationOutcome"
    assert [i["expression"][0] for i in outcome["issue"]] == ["Bundle.entry[3].resource.lotNumber"]


@pytest.mark.parametrize("body", [[], "text", 3], ids=["array", "string", "number"])
def test_a_body_that_is_not_an_object_is_a_422_problem(client: TestClient, body: Any) -> None:
    response = client.post("/profiles/validate", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_dcc_preview_of_a_recovery(client: TestClient, shared_dir: Path) -> None:
    bundle = json.loads((shared_dir / "examples" / "issue-test-request.json").read_text("utf-8"))
    bundle["entry"][2]["resource"]["valueCodeableConcept"]["coding"][0]["code"] = "260373001"
    response = client.post("/profiles/dcc", params={"kind": "recovery"}, json=bundle)
    assert response.status_code == 200
    assert response.json()["payload"]["r"][0]["fr"] == "2021-09-13"
    response = client.post("/profiles/dcc", params={"kind": "nonsense"}, json=bundle)
    assert response.status_code == 422
