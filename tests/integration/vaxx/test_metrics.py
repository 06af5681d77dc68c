"""GET /metrics: the counters move when certificates are issued and verified, requests are
labelled by route template (never the raw path), and the optional metrics token holds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy.orm import Session, sessionmaker

from issuer.keys import KeyStore
from tests.conftest import MutableClock, auth
from tests.integration.issuer.conftest import (  # noqa: F401 - fixtures, requested by name
    broken,
    dev_key_template,
    keys,
    vaccination_bundle,
)
from trust_list import sources
from vaxx import db
from vaxx.app import create_app
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient, headers: dict[str, str] | None = None) -> Samples:
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_issue_and_verify_move_their_counters(
    client: TestClient,
    keys: KeyStore,  # noqa: F811 - the imported fixture, requested
    make_token: Callable[..., str],
    vaccination_bundle: dict[str, Any],  # noqa: F811
    settings: Settings,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
) -> None:
    before = scrape(client)
    issuer = auth(make_token(Scope.ISSUER))
    issued = client.post("/issuer/certificates", json=vaccination_bundle, headers=issuer)
    assert issued.status_code == 201, issued.text
    refused = client.post("/issuer/certificates", json=broken(vaccination_bundle), headers=issuer)
    assert refused.status_code == 422
    with db.transaction(session_factory) as session:
        sources.sync_issuer_keys(session, settings, now=clock(), actor="test")
    verifier = auth(make_token(Scope.VERIFIER))
    for qr in (issued.json()["hc1"], "HC1:not a certificate"):
        assert client.post("/verifier/verify", json={"qr": qr}, headers=verifier).status_code == 200
    certificate = issued.json()["id"]
    assert client.get(f"/issuer/certificates/{certificate}", headers=issuer).status_code == 200
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # The refused Bundle rolled back, so it issued nothing.
    assert moved("vaxx_certificates_issued_total", type="vaccination") == 1
    assert moved("vaxx_verifications_total", verdict="valid") == 1
    assert moved("vaxx_verifications_total", verdict="invalid") == 1
    issue = {"method": "POST", "route": "/issuer/certificates"}
    assert moved("vaxx_http_requests_total", **issue, status="2xx") == 1
    assert moved("vaxx_http_requests_total", **issue, status="4xx") == 1
    assert moved("vaxx_http_request_duration_seconds_count", **issue) == 2
    assert moved("vaxx_http_request_duration_seconds_bucket", **issue, le="+Inf") == 2
    assert moved("vaxx_http_request_duration_seconds_sum", **issue) > 0
    read = {"method": "GET", "route": "/issuer/certificates/{certificate_id}"}
    assert moved("vaxx_http_requests_total", **read, status="2xx") == 1
    raw_paths = [
        labels
        for (_, labels) in after
        if ("route", f"/issuer/certificates/{certificate}") in labels
    ]
    assert raw_paths == []


def test_unknown_paths_share_one_label_and_oversize_bodies_keep_their_route(
    client: TestClient, settings: Settings
) -> None:
    before = scrape(client)
    for path in ("/no/such/path", "/another/random/one", "/wp-login.php"):
        assert client.get(path).status_code == 404
    oversize = b"x" * (settings.max_body_bytes + 1)
    response = client.post("/profiles/validate", content=oversize)
    assert response.status_code == 413
    after = scrape(client)
    unmatched = {"method": "GET", "route": "unmatched", "status": "4xx"}
    assert (
        value(after, "vaxx_http_requests_total", **unmatched)
        - value(before, "vaxx_http_requests_total", **unmatched)
        == 3
    )
    routes = {dict(labels).get("route") for (_, labels) in after}
    assert not routes & {"/no/such/path", "/another/random/one", "/wp-login.php"}
    refused = {"method": "POST", "route": "/profiles/validate", "status": "4xx"}
    assert (
        value(after, "vaxx_http_requests_total", **refused)
        - value(before, "vaxx_http_requests_total", **refused)
        == 1
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_metrics_token_when_set_is_required(client: TestClient, settings: Settings) -> None:
    settings.metrics_token = SecretStr("metrics-scrape-secret-for-the-test")
    for headers in ({}, auth("wrong")):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")
    samples = scrape(client, auth("metrics-scrape-secret-for-the-test"))
    assert any(name == "vaxx_http_requests_total" for name, _ in samples)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_rate_limited_answers_are_counted_by_route(
    database_url: str, tmp_path: Path, clock: MutableClock
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        _env_file=None,
        rate_limit_open_data=1,
    )
    application = create_app(settings, clock=clock)
    try:
        with TestClient(application) as client:
            before = scrape(client)
            answers = [client.get("/open-data/leftovers").status_code for _ in range(3)]
            after = scrape(client)
    finally:
        application.state.engine.dispose()
    assert answers == [200, 429, 429]
    route = {"route": "/open-data/leftovers"}
    counted = value(after, "vaxx_rate_limited_responses_total", **route)
    assert counted - value(before, "vaxx_rate_limited_responses_total", **route) == 2
    refused = {"method": "GET", **route, "status": "4xx"}
    assert (
        value(after, "vaxx_http_requests_total", **refused)
        - value(before, "vaxx_http_requests_total", **refused)
        == 2
    )
