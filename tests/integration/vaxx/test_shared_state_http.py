"""Rate limits on the public endpoints, and Redis going away and coming back, over HTTP.

These run on SQLite only: nothing here depends on the database (the two-server test in
``tests/e2e/test_shared_state_two_servers.py`` covers PostgreSQL + Redis together).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from booking import demo
from tests.conftest import MutableClock
from tests.tcp_proxy import TcpProxy
from tests.unit.vaxx.test_shared_state import REDIS_URL, redis_or_skip
from vaxx.app import create_app
from vaxx.cli import _context
from vaxx.settings import Settings

LIMIT = 3


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "vaxx.sqlite3"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite:///{target}"


def _settings(tmp_path: Path, database_url: str, **changes: object) -> Settings:
    values: dict[str, object] = {"rate_limit_open_data": LIMIT, "rate_limit_booking": LIMIT}
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "data", database_url=database_url, _env_file=None, **values | changes
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return _settings(tmp_path, database_url)


def test_over_the_limit_is_429_problem_with_retry_after_and_ratelimit_headers(
    client: TestClient,
) -> None:
    answers = [client.get("/open-data/leftovers") for _ in range(LIMIT)]
    assert [a.status_code for a in answers] == [200] * LIMIT
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0].headers["ratelimit-limit"] == str(LIMIT)
    assert answers[0].headers["ratelimit-policy"] == f"{LIMIT};w=60"
    refused = client.get("/open-data/availability")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["code"] == "rate_limited"
    assert body["limit_class"] == "open_data"
    assert body["request_id"] == refused.headers["x-request-id"]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["ratelimit-reset"] == refused.headers["retry-after"]


def test_classes_count_apart_and_health_is_never_limited(client: TestClient) -> None:
    for _ in range(LIMIT + 1):
        client.get("/open-data/leftovers")
    assert client.get("/open-data/leftovers").status_code == 429
    assert client.get("/booking/sites").status_code == 200
    for _ in range(LIMIT * 3):
        assert client.get("/healthz").status_code == 200
        assert "ratelimit-limit" not in client.get("/readyz").headers


def test_forwarded_for_from_an_untrusted_peer_is_ignored(client: TestClient) -> None:
    for n in range(LIMIT):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert client.get("/open-data/leftovers", headers=forged).status_code == 200
    forged = {"X-Forwarded-For": "203.0.113.200"}
    assert client.get("/open-data/leftovers", headers=forged).status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(
    tmp_path: Path, database_url: str, clock: MutableClock
) -> None:
    settings = _settings(tmp_path, database_url, trusted_proxies="10.0.0.0/8")
    app = create_app(settings, clock=clock)
    with TestClient(app, client=("10.0.0.2", 40000)) as proxy:
        for _ in range(LIMIT):
            alice = {"X-Forwarded-For": "198.51.100.1"}
            assert proxy.get("/open-data/leftovers", headers=alice).status_code == 200
        alice = {"X-Forwarded-For": "198.51.100.1"}
        assert proxy.get("/open-data/leftovers", headers=alice).status_code == 429
        bob = {"X-Forwarded-For": "198.51.100.2"}
        assert proxy.get("/open-data/leftovers", headers=bob).status_code == 200
    app.state.engine.dispose()


def test_an_api_client_token_counts_in_its_own_higher_class(
    tmp_path: Path, database_url: str, clock: MutableClock
) -> None:
    settings = _settings(tmp_path, database_url, rate_limit_api_client=LIMIT * 2)
    app = create_app(settings, clock=clock)
    kiosk = {"Authorization": "Bearer vx_kiosk-token"}
    with TestClient(app) as client:
        answers = [client.get("/booking/sites", headers=kiosk) for _ in range(LIMIT * 2 + 1)]
        assert [a.status_code for a in answers] == [200] * LIMIT * 2 + [429]
        assert answers[-1].json()["limit_class"] == "api_client"
        assert client.get("/booking/sites").status_code == 200, "the address's own count"
    app.state.engine.dispose()


def test_zero_turns_a_class_off(tmp_path: Path, database_url: str, clock: MutableClock) -> None:
    app = create_app(_settings(tmp_path, database_url, rate_limit_open_data=0), clock=clock)
    with TestClient(app) as client:
        for _ in range(LIMIT * 2):
            answer = client.get("/open-data/leftovers")
            assert answer.status_code == 200
            assert "ratelimit-limit" not in answer.headers
    app.state.engine.dispose()


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    redis_or_skip()
    host, port = REDIS_URL.removeprefix("redis://").split("/")[0].split(":")
    with TcpProxy((host, int(port))) as proxy:
        yield proxy


def test_redis_down_is_503_and_readyz_failing_then_recovers_by_itself(
    tmp_path: Path, database_url: str, clock: MutableClock, redis_proxy: TcpProxy
) -> None:
    settings = _settings(
        tmp_path,
        database_url,
        redis_url=f"redis://127.0.0.1:{redis_proxy.port}/0",
        redis_prefix=f"vaxx-test-{uuid.uuid4().hex[:12]}:",
        redis_timeout_seconds=0.3,
    )
    app = create_app(settings, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/readyz").json()["checks"]["redis"] == "ok"
        assert client.get("/open-data/leftovers").status_code == 200

        redis_proxy.stop()
        for url in ("/open-data/leftovers", "/booking/sites", "/trust-list"):
            down = client.get(url)
            assert down.status_code == 503, (url, down.text)
            assert down.headers["content-type"] == "application/problem+json"
            assert down.json()["code"] == "shared_state_unavailable"
            assert int(down.headers["retry-after"]) > 0
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["redis"].startswith("failing")
        assert client.get("/healthz").status_code == 200

        redis_proxy.start()
        assert client.get("/readyz").json()["checks"]["redis"] == "ok"
        assert client.get("/open-data/leftovers").status_code == 200
    app.state.shared_state.close()
    app.state.engine.dispose()


def test_a_cli_write_shows_at_once_on_a_server_sharing_redis(
    tmp_path: Path, database_url: str, clock: MutableClock
) -> None:
    redis_or_skip()
    settings = _settings(
        tmp_path,
        database_url,
        redis_url=REDIS_URL,
        redis_prefix=f"vaxx-test-{uuid.uuid4().hex[:12]}:",
    )
    app = create_app(settings, clock=clock)
    with TestClient(app) as client:
        before = client.get("/$bulk-publish").json()
        assert [item["type"] for item in before["output"]] == ["Location", "Schedule"]
        with _context.transaction(settings) as session:  # what `vaxx demo` does
            demo.load(session, clock())
        after = client.get("/$bulk-publish").json()
        assert "Slot" in [item["type"] for item in after["output"]]
    app.state.shared_state.close()
    app.state.engine.dispose()
