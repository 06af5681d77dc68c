"""PostgreSQL unavailable under a real `vaxx serve` (issue 11, faults).

The server reaches PostgreSQL through :class:`tests.tcp_proxy.TcpProxy`. Stopping the proxy
drops every connection and refuses new ones; stalling it accepts and never answers. Either
way /readyz says the database fails and requests answer 503 problem+json; once the proxy
forwards again the same server process serves again by itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tests.conftest import SHARED_DIR
from tests.e2e.processes import ServerProcess
from tests.tcp_proxy import TcpProxy
from vaxx import db
from vaxx.auth import service as auth_service
from vaxx.auth.scopes import Scope

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
ISSUE = "/issuer/certificates"
BOOK = {
    "slot_id": 1,
    "id_type": "national-id",
    "id_value": "A123456789",
    "birth_date": "1990-01-01",
}


def make_token(url: str, scope: Scope) -> str:
    """An API client made straight in the database (not through the proxy)."""
    engine = create_engine(url)
    try:
        with db.transaction(db.make_sessionmaker(engine)) as session:
            made = auth_service.create_client(
                session, name="faults", scopes=[scope], now=datetime.now(UTC), actor="test"
            )
        return made.token
    finally:
        engine.dispose()


@pytest.fixture
def proxy(shared_postgres: str) -> Iterator[TcpProxy]:
    url = make_url(shared_postgres)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, shared_postgres: str, proxy: TcpProxy) -> Iterator[ServerProcess]:
    # libpq's shortest connect timeout (the default is 5 s): keeps the hung case quick.
    through_proxy = make_url(shared_postgres).set(
        host="127.0.0.1", port=proxy.port, query={"connect_timeout": "2"}
    )
    process = ServerProcess(
        tmp_path, {"VAXX_DATABASE_URL": through_proxy.render_as_string(hide_password=False)}
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def bundle() -> dict[str, Any]:
    path = SHARED_DIR / "examples" / "issue-vaccination-request.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared examples are not checked out")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def assert_database_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"].isdigit()
    assert response.json()["code"] == "database_unavailable"
    for leak in ("Traceback", "psycopg", "SELECT", "INSERT"):
        assert leak not in response.text


def assert_database_not_ready(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"].startswith("failing")
    assert all(result == "ok" for name, result in body["checks"].items() if name != "database")


def test_postgres_going_away_is_503_and_the_server_recovers_by_itself(
    server: ServerProcess, proxy: TcpProxy, shared_postgres: str, bundle: dict[str, Any]
) -> None:
    issuer = {"Authorization": f"Bearer {make_token(shared_postgres, Scope.ISSUER)}"}
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        assert client.get("/readyz").status_code == 200
        assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201

        proxy.stop()
        assert_database_not_ready(client.get("/readyz"))
        assert_database_unavailable(client.post(ISSUE, json=bundle, headers=issuer))
        assert_database_unavailable(client.post("/booking/appointments", json=BOOK))

        proxy.start()
        assert client.get("/readyz").status_code == 200
        assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201
        missing = client.post("/booking/appointments", json=BOOK)
        assert missing.status_code == 404, missing.text  # the database answers: no slot 1
    assert "Traceback" not in server.log()


def test_a_hung_postgres_fails_readiness_instead_of_hanging_it(
    server: ServerProcess, proxy: TcpProxy
) -> None:
    """A server that accepts and never answers: the connect timeout bounds /readyz."""
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        assert client.get("/readyz").status_code == 200
        proxy.stop()  # drop the pooled connections...
        proxy.start()
        proxy.stall()  # ...so the next check connects anew, into the void
        assert_database_not_ready(client.get("/readyz"))
        assert_database_unavailable(client.get("/booking/sites"))
        proxy.stop()
        proxy.start()
        assert client.get("/readyz").status_code == 200
