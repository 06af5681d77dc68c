"""An Idempotency-Key whose first request is still running (on this or another replica: the
lock lives in the shared state) answers 409 ``idempotency_key_in_flight`` with
``Retry-After: 1`` and signs nothing; once the first is done, the retry replays it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from issuer.models import IssuedCertificate
from vaxx.auth.models import ApiClient
from vaxx.shared_state import SharedState
from vaxx.shared_state.in_flight import idempotency_lock_key

URL = "/issuer/certificates"


def _issued(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(IssuedCertificate)) or 0


def test_a_key_in_flight_is_409_to_retry_and_signs_nothing(
    app: FastAPI,
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as session:
        client_id = session.scalars(select(ApiClient.id)).one()
    state: SharedState = app.state.shared_state
    lock = idempotency_lock_key("issue", client_id, "visit-42")
    owner = state.acquire(lock, 60_000)  # the first request, still signing elsewhere
    assert owner is not None
    headers = issuer_headers | {"Idempotency-Key": "visit-42"}

    refused = client.post(URL, json=vaccination_bundle, headers=headers)

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["code"] == "idempotency_key_in_flight"
    assert _issued(session_factory) == 0
    other_key = client.post(URL, json=vaccination_bundle, headers=issuer_headers | {
        "Idempotency-Key": "visit-43"
    })  # fmt: skip
    assert other_key.status_code == 201, other_key.text

    state.release(lock, owner)
    first = client.post(URL, json=vaccination_bundle, headers=headers)
    replay = client.post(URL, json=vaccination_bundle, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert first.headers["idempotent-replayed"] == "false"
    assert replay.headers["idempotent-replayed"] == "true"
    assert first.json()["id"] == replay.json()["id"]
    assert _issued(session_factory) == 2
    assert state.acquire(lock, 60_000) is not None, "the lock is released after the commit"
