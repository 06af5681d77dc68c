"""The OpenAPI document lists the 409, 429 and 503 problems of the routes that can answer
them, and not of those that cannot."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from vaxx.app import create_app
from vaxx.openapi_problems import CONFLICTS
from vaxx.settings import Settings

PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(data_dir=Path(directory), database_url="sqlite://", _env_file=None)
        application = create_app(settings)
        built: dict[str, Any] = application.openapi()
        again = application.openapi()
        application.state.engine.dispose()
    assert again == built, "building the document twice changes it"
    return built


def _responses(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses: dict[str, Any] = document["paths"][path][method.lower()]["responses"]
    return responses


@pytest.mark.parametrize(
    ("method", "path", "present", "absent"),
    [
        ("POST", "/issuer/certificates", {"409", "503"}, {"429"}),
        ("POST", "/booking/appointments", {"409", "429", "503"}, set()),
        ("GET", "/open-data/availability", {"429", "503"}, {"409"}),
        ("GET", "/trust-list", {"429", "503"}, {"409"}),
        ("POST", "/wallet/api/claim", {"409", "429", "503"}, set()),
        ("POST", "/verifier/verify", {"503"}, {"409", "429"}),
        ("GET", "/healthz", set(), {"409", "429", "503"}),
        ("POST", "/profiles/validate", set(), {"409", "429", "503"}),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_route_specific_problems_are_documented(
    document: dict[str, Any], method: str, path: str, present: set[str], absent: set[str]
) -> None:
    responses = _responses(document, method, path)
    assert present <= set(responses), sorted(responses)
    assert not absent & set(responses), sorted(responses)
    for status in present:
        content = responses[status]["content"]
        assert content == {"application/problem+json": {"schema": PROBLEM}}


def test_the_descriptions_name_the_problem_codes(document: dict[str, Any]) -> None:
    issue = _responses(document, "POST", "/issuer/certificates")
    assert "idempotency_key_reused" in issue["409"]["description"]
    assert "idempotency_key_in_flight" in issue["409"]["description"]
    assert "database_unavailable" in issue["503"]["description"]
    assert "shared_state_unavailable" in issue["503"]["description"]
    feed = _responses(document, "GET", "/open-data/availability")
    assert "rate_limited" in feed["429"]["description"]


def test_every_declared_conflict_names_an_operation(document: dict[str, Any]) -> None:
    operations = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert set(CONFLICTS) <= operations, sorted(set(CONFLICTS) - operations)
