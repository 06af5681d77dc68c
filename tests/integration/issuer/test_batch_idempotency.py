"""Batch issuance with an Idempotency-Key on both databases: item ``i`` is issued at most once
under ``<key>#<i>``, so a retry after a failure part-way issues exactly the missing items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from issuer import service
from issuer.models import IdempotencyKey
from tests.integration.issuer.conftest import broken
from tests.integration.issuer.people import person_bundles
from tests.integration.issuer.test_issue_api import URL, count
from vaxx import audit
from vaxx.auth.models import ApiClient
from vaxx.shared_state import SharedState
from vaxx.shared_state.in_flight import idempotency_lock_key

BATCH = f"{URL}/batch"


def keys_issued(factory: sessionmaker[Session]) -> list[str]:
    with factory() as session:
        return sorted(session.scalars(select(IdempotencyKey.key)))


def post(
    client: TestClient, headers: dict[str, str], bundles: list[Any], key: str
) -> dict[str, Any]:
    response = client.post(
        BATCH, json={"bundles": bundles}, headers=headers | {"Idempotency-Key": key}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_retried_batch_replays_every_item_and_issues_nothing(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    bundles = person_bundles(vaccination_bundle, 3)
    first = post(client, issuer_headers, bundles, "batch-1")
    again = post(client, issuer_headers, bundles, "batch-1")
    assert (first["issued"], first["replayed"], first["failed"]) == (3, 0, 0)
    assert (again["issued"], again["replayed"], again["failed"]) == (3, 3, 0)
    assert [r["replayed"] for r in again["results"]] == [True] * 3
    ids = [r["certificate"]["id"] for r in first["results"]]
    assert [r["certificate"]["id"] for r in again["results"]] == ids
    # The first answer may have been lost: each replay carries a fresh claim code.
    for before, after in zip(first["results"], again["results"], strict=True):
        assert after["certificate"]["claim_code"]
        assert after["certificate"]["claim_code"] != before["certificate"]["claim_code"]
    assert count(session_factory) == 3
    assert keys_issued(session_factory) == ["batch-1#0", "batch-1#1", "batch-1#2"]


def test_a_retry_after_a_failure_part_way_issues_exactly_the_missing_items(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The database drops while item 2 is signed: the client gets a 503 and retries."""
    bundles = person_bundles(vaccination_bundle, 5)
    issue = service.issue
    calls = 0

    def fails_third(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))
        return issue(*args, **kwargs)

    monkeypatch.setattr(service, "issue", fails_third)
    headers = issuer_headers | {"Idempotency-Key": "crash"}
    failed = client.post(BATCH, json={"bundles": bundles}, headers=headers)
    assert failed.status_code == 503
    assert failed.json()["code"] == "database_unavailable"
    assert count(session_factory) == 2
    monkeypatch.setattr(service, "issue", issue)

    retried = post(client, issuer_headers, bundles, "crash")
    assert (retried["issued"], retried["replayed"], retried["failed"]) == (5, 2, 0)
    assert [r["replayed"] for r in retried["results"]] == [True, True, False, False, False]
    assert count(session_factory) == 5
    assert keys_issued(session_factory) == [f"crash#{i}" for i in range(5)]
    with session_factory() as session:
        assert len(audit.recent(session, action="certificate.issue")) == 5


def test_a_refused_item_is_tried_again_and_refused_again(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    bundles = [*person_bundles(vaccination_bundle, 2), broken(vaccination_bundle)]
    post(client, issuer_headers, bundles, "k")
    again = post(client, issuer_headers, bundles, "k")
    assert (again["issued"], again["replayed"], again["failed"]) == (2, 2, 1)
    assert again["results"][2]["problem"]["code"] == "profile_invalid"
    assert count(session_factory) == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda bundles: bundles[::-1],
        lambda bundles: bundles[:1],
        lambda bundles: [*bundles, bundles[0]],
    ],
    ids=["reordered", "fewer", "more"],
)
def test_the_same_key_with_another_batch_is_409_and_issues_nothing(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    change: Callable[[list[Any]], list[Any]],
) -> None:
    bundles = person_bundles(vaccination_bundle, 2)
    post(client, issuer_headers, bundles, "k")
    response = client.post(
        BATCH, json={"bundles": change(bundles)}, headers=issuer_headers | {"Idempotency-Key": "k"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert count(session_factory) == 2


def test_a_single_issue_key_that_looks_like_a_batch_item_is_not_replayed(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    """``k#0`` used for one certificate binds that key: a batch under ``k`` may not adopt it."""
    single = client.post(
        URL, json=vaccination_bundle, headers=issuer_headers | {"Idempotency-Key": "k#0"}
    )
    assert single.status_code == 201
    response = client.post(
        BATCH,
        json={"bundles": [vaccination_bundle]},
        headers=issuer_headers | {"Idempotency-Key": "k"},
    )
    assert response.status_code == 409
    assert count(session_factory) == 1


def test_batch_keys_leave_room_for_the_item_suffix(
    client: TestClient, issuer_headers: dict[str, str], vaccination_bundle: dict[str, Any]
) -> None:
    """With the default 100 items, ``#99`` must fit the 200-character key column."""
    body = {"bundles": [vaccination_bundle]}
    too_long = client.post(
        BATCH, json=body, headers=issuer_headers | {"Idempotency-Key": "x" * 198}
    )
    assert too_long.status_code == 422
    assert too_long.json()["code"] == "issuer_bad_request"
    longest = client.post(BATCH, json=body, headers=issuer_headers | {"Idempotency-Key": "x" * 197})
    assert longest.status_code == 200


def test_keys_with_like_wildcards_are_matched_literally(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    """``%`` and ``_`` in a key are characters, not patterns: ``a_`` is not ``ab``'s batch."""
    bundles = person_bundles(vaccination_bundle, 2)
    post(client, issuer_headers, bundles[:1], "ab")
    assert post(client, issuer_headers, bundles[1:], "a%")["replayed"] == 0
    assert post(client, issuer_headers, bundles[1:], "a_")["replayed"] == 0
    assert count(session_factory) == 3


def test_losing_an_item_race_answers_with_the_winners_certificate(
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another request with the same key commits item 0 while this one signs it."""
    first = post(client, issuer_headers, [vaccination_bundle], "race")
    replay = service._replay
    calls = 0

    def misses_once(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        return None if calls == 1 else replay(*args)

    monkeypatch.setattr(service, "_replay", misses_once)
    again = post(client, issuer_headers, [vaccination_bundle], "race")
    assert again["results"][0]["replayed"] is True
    assert again["results"][0]["certificate"]["id"] == first["results"][0]["certificate"]["id"]
    assert count(session_factory) == 1
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_a_batch_key_in_flight_is_409_to_retry_and_signs_nothing(
    app: FastAPI,
    client: TestClient,
    issuer_headers: dict[str, str],
    vaccination_bundle: dict[str, Any],
    session_factory: sessionmaker[Session],
) -> None:
    """The same batch still running on another replica holds the key's lock."""
    with session_factory() as session:
        client_id = session.scalars(select(ApiClient.id)).one()
    state: SharedState = app.state.shared_state
    lock = idempotency_lock_key("batch", client_id, "busy")
    owner = state.acquire(lock, 60_000)
    assert owner is not None
    body = {"bundles": [vaccination_bundle]}
    refused = client.post(BATCH, json=body, headers=issuer_headers | {"Idempotency-Key": "busy"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "idempotency_key_in_flight"
    assert refused.headers["retry-after"] == "1"
    assert count(session_factory) == 0
    state.release(lock, owner)
    assert post(client, issuer_headers, [vaccination_bundle], "busy")["issued"] == 1
