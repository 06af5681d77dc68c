"""The database going away and coming back (issue 11, faults).

PostgreSQL is reached through :class:`tests.tcp_proxy.TcpProxy`, so the test can take it
away (every connection dropped, new ones refused) and bring it back on the same address:
/readyz names the database, requests answer 503 problem+json with Retry-After, and the same
app serves again once the database returns, with no restart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError

from issuer import service as issuer_service
from tests.conftest import auth
from tests.tcp_proxy import TcpProxy
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings

ISSUE = "/issuer/certificates"
BOOK = {
    "slot_id": 1,
    "id_type": "national-id",
    "id_value": "A123456789",
    "birth_date": "1990-01-01",
}


@pytest.fixture
def proxy(database_url: str) -> Iterator[TcpProxy]:
    url = make_url(database_url)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as running:
        yield running


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path, database_url: str) -> Settings:
    """The app's settings, with PostgreSQL reached through the proxy."""
    if make_url(database_url).get_backend_name() == "postgresql":
        proxy: TcpProxy = request.getfixturevalue("proxy")
        url = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
        database_url = url.render_as_string(hide_password=False)
    return Settings(data_dir=tmp_path / "data", database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def bundle(shared_dir: Path) -> dict[str, Any]:
    text = (shared_dir / "examples" / "issue-vaccination-request.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def assert_database_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert body["code"] == "database_unavailable"
    for leak in ("Traceback", "psycopg", "127.0.0.1", "SELECT"):
        assert leak not in response.text


pg_only = pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@pg_only
def test_readyz_names_the_database_while_it_is_away(client: TestClient, proxy: TcpProxy) -> None:
    assert client.get("/readyz").status_code == 200
    proxy.stop()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert body["checks"]["database"].startswith("failing")
    assert body["checks"]["keys"] == "ok"
    proxy.start()
    assert client.get("/readyz").json() == {
        "status": "ready",
        "checks": body["checks"] | {"database": "ok"},
    }


@pg_only
def test_requests_answer_503_while_the_database_is_away_and_recover(
    client: TestClient, proxy: TcpProxy, make_token: Callable[..., str], bundle: dict[str, Any]
) -> None:
    issuer = auth(make_token(Scope.ISSUER))
    assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201
    proxy.stop()
    assert_database_unavailable(client.post(ISSUE, json=bundle, headers=issuer))
    assert_database_unavailable(client.post("/booking/appointments", json=BOOK))
    assert_database_unavailable(client.get("/booking/sites"))
    proxy.start()
    assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201
    assert client.get("/booking/sites").status_code == 200


@pg_only
def test_a_connection_cut_mid_request_is_503_and_the_pool_heals(
    client: TestClient,
    proxy: TcpProxy,
    make_token: Callable[..., str],
    bundle: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The connection dies after the token check, while the route works (a failover)."""
    issuer = auth(make_token(Scope.ISSUER))
    issue = issuer_service.issue

    def cut_then_issue(*args: Any, **kwargs: Any) -> Any:
        proxy.stop()
        proxy.start()
        return issue(*args, **kwargs)

    monkeypatch.setattr(issuer_service, "issue", cut_then_issue)
    assert_database_unavailable(client.post(ISSUE, json=bundle, headers=issuer))
    monkeypatch.setattr(issuer_service, "issue", issue)
    assert client.post(ISSUE, json=bundle, headers=issuer).status_code == 201


def _raising(error: Exception) -> Callable[..., Any]:
    def route_body(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    return route_body


def test_a_disconnect_anywhere_in_a_route_is_503(
    client: TestClient, make_token: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))
    monkeypatch.setattr(issuer_service, "get", _raising(gone))
    response = client.get(f"{ISSUE}/abc", headers=auth(make_token(Scope.ISSUER)))
    assert_database_unavailable(response)


def test_other_database_errors_stay_500(
    client: TestClient, make_token: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A constraint violation nobody handled is a bug to fix, not an outage to wait out."""
    bug = IntegrityError("INSERT", {}, ValueError("duplicate key"))
    monkeypatch.setattr(issuer_service, "get", _raising(bug))
    response = client.get(f"{ISSUE}/abc", headers=auth(make_token(Scope.ISSUER)))
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "retry-after" not in response.headers
