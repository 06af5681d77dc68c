"""Shared fixtures: a freshly migrated database per test, on SQLite and on PostgreSQL.

Migrations run once per session into a template (a SQLite file, a PostgreSQL template
database); each test gets its own copy, so tests are isolated and still fast.
PostgreSQL tests skip with the reason only when no server answers at
``VAXX_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from vaxx import db
from vaxx.app import create_app
from vaxx.auth import service as auth_service
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
pytest_plugins = ["tests.secrets_scan"]
"""Every log the suite writes is scanned for secrets at the end (see the module)."""
POSTGRES_URL = os.environ.get(
    "VAXX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repo root (public vectors, standards notes)."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent: the shared test vectors are not checked out")
    return SHARED_DIR


class MutableClock:
    """A clock the test moves by hand; always timezone-aware."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no server"
        admin.dispose()
        pytest.skip(f"no PostgreSQL server answers at {POSTGRES_URL}: {type(exc).__name__}")
    name = f"vaxx_tpl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        db.upgrade(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database of its own for this test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "vaxx.sqlite3"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"vaxx_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def app(settings: Settings, clock: MutableClock) -> Iterator[FastAPI]:
    application = create_app(settings, clock=clock)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def session_factory(app: FastAPI) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = app.state.sessionmaker
    return factory


@pytest.fixture
def make_token(session_factory: sessionmaker[Session], clock: MutableClock) -> Callable[..., str]:
    """Create an API client with the given scopes straight in the database; return its token."""

    def make(*scopes: Scope, name: str = "test client") -> str:
        with db.transaction(session_factory) as session:
            new = auth_service.create_client(
                session, name=name, scopes=list(scopes), now=clock(), actor="test"
            )
        return new.token

    return make


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
