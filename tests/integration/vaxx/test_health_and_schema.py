"""Health endpoints, and the migrations matching the models on each database."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

import vaxx.models  # noqa: F401 - registers every table
from vaxx import __version__
from vaxx.db import Base


def test_healthz_and_version(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/version").json() == {"name": "vaxx", "version": __version__}


def test_readyz_reports_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_fails_when_a_check_fails(client: TestClient) -> None:
    def broken() -> None:
        raise ConnectionError("unreachable")

    client.app.state.readiness_checks["keys"] = broken  # type: ignore[attr-defined]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "checks": {"database": "ok", "keys": "failing: ConnectionError"},
    }


def test_openapi_documents_every_module(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/admin/clients" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_migrations_match_models(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_audit_log_is_append_only_in_the_database(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, actor, action, details) "
                    "VALUES (CURRENT_TIMESTAMP, 'test', 'x', '{}')"
                )
            )
        for statement in ("UPDATE audit_events SET actor = 'forged'", "DELETE FROM audit_events"):
            with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
                connection.execute(text(statement))
        with engine.connect() as connection:
            assert connection.execute(text("SELECT actor FROM audit_events")).scalar_one() == "test"
    finally:
        engine.dispose()
