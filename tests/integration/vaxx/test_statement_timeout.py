"""A statement stuck behind a lock is cancelled after ``VAXX_DATABASE_STATEMENT_TIMEOUT_SECONDS``:
the request answers 503 database_unavailable instead of holding a worker, and the same app
serves again once the lock is gone."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.conftest import auth
from tests.integration.vaxx.test_database_unavailable import assert_database_unavailable
from vaxx.auth.scopes import Scope
from vaxx.db import make_engine
from vaxx.settings import Settings

pytestmark = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
ISSUE = "/issuer/certificates"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        database_statement_timeout_seconds=1,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def bundle(shared_dir: Path) -> dict[str, Any]:
    text_ = (shared_dir / "examples" / "issue-vaccination-request.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text_)
    return data


def test_a_request_stuck_behind_a_lock_is_cancelled_as_503(
    client: TestClient, database_url: str, make_token: Callable[..., str], bundle: dict[str, Any]
) -> None:
    issuer = auth(make_token(Scope.ISSUER))
    assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201
    other = create_engine(database_url)
    try:
        with other.connect() as holder:
            holder.execute(text("LOCK TABLE issued_certificates IN ACCESS EXCLUSIVE MODE"))
            assert_database_unavailable(client.post(ISSUE, json=bundle, headers=issuer))
            holder.rollback()
        assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201
        with other.connect() as check:
            issued = check.scalar(text("SELECT count(*) FROM issued_certificates"))
        assert issued == 2  # the cancelled request left nothing behind
    finally:
        other.dispose()


def test_migrations_and_the_cli_run_without_a_statement_timeout(database_url: str) -> None:
    """Only the server's request path is bounded: an index build may rightly take longer."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "0"
    finally:
        engine.dispose()


def test_the_server_engine_carries_the_configured_timeout(database_url: str) -> None:
    engine = make_engine(database_url, statement_timeout_seconds=7)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "7s"
    finally:
        engine.dispose()
