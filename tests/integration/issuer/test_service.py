"""The service layer on both databases: the idempotency race and re-issue bookkeeping."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from issuer import service
from issuer.keys import KeyStore
from issuer.models import IdempotencyKey
from tests.conftest import MutableClock
from tests.integration.issuer.test_issue_api import count
from vaxx import db
from vaxx.settings import Settings


@pytest.fixture
def ctx(keys: KeyStore, settings: Settings, clock: MutableClock) -> service.Issuing:
    return service.Issuing(keys=keys, settings=settings, now=clock(), actor="test")


def test_losing_an_idempotency_race_returns_the_winners_certificate(
    session_factory: sessionmaker[Session],
    ctx: service.Issuing,
    vaccination_bundle: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another request with the same key commits while this one is signing."""
    with db.transaction(session_factory) as session:
        winner, fresh = service.issue_once(
            session, vaccination_bundle, ctx, client_id="c1", key="same"
        )
        assert fresh
        winner_id = winner.id
    with session_factory() as session:
        original_replay = service._replay
        calls = 0

        def replay_misses_once(*args: Any) -> Any:
            nonlocal calls
            calls += 1
            return None if calls == 1 else original_replay(*args)

        monkeypatch.setattr(service, "_replay", replay_misses_once)
        loser, fresh = service.issue_once(
            session, vaccination_bundle, ctx, client_id="c1", key="same"
        )
        session.commit()
    assert not fresh
    assert loser.id == winner_id
    assert count(session_factory) == 1
    with session_factory() as session:
        assert session.get(IdempotencyKey, ("c1", "same")) is not None
