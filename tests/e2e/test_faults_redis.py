"""Redis unavailable under a real `vaxx serve` on PostgreSQL (issue 11, faults).

The server reaches Redis (``VAXX_REDIS_URL``) through :class:`tests.tcp_proxy.TcpProxy`.
With the proxy stopped, /readyz names the failing ``redis`` check and what needs the shared
state (rate limits on public booking, the in-flight lock of a keyed issue) answers 503
problem+json; once it forwards again the same process serves again by itself.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from tests.conftest import SHARED_DIR
from tests.e2e.processes import ServerProcess
from tests.e2e.test_faults_database import BOOK, ISSUE, make_token
from tests.tcp_proxy import TcpProxy
from tests.unit.vaxx.test_shared_state import REDIS_URL, redis_or_skip
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture
def redis_proxy() -> Iterator[TcpProxy]:
    if "redis_url" not in Settings.model_fields:
        pytest.skip("VAXX_REDIS_URL support not present")
    redis_or_skip()
    host, port = REDIS_URL.removeprefix("redis://").split("/")[0].split(":")
    with TcpProxy((host, int(port))) as proxy:
        yield proxy


@pytest.fixture
def server(tmp_path: Path, shared_postgres: str, redis_proxy: TcpProxy) -> Iterator[ServerProcess]:
    prefix = f"vaxx-e2e-{uuid.uuid4().hex[:12]}:"
    process = ServerProcess(
        tmp_path,
        {
            "VAXX_DATABASE_URL": shared_postgres,
            "VAXX_REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/0",
            "VAXX_REDIS_PREFIX": prefix,
        },
    )
    process.start()
    yield process
    process.stop()
    cleanup = redis.Redis.from_url(REDIS_URL)
    for key in cleanup.scan_iter(f"{prefix}*"):
        cleanup.delete(key)
    cleanup.close()


@pytest.fixture
def bundle() -> dict[str, Any]:
    path = SHARED_DIR / "examples" / "issue-vaccination-request.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent: the shared examples are not checked out")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def assert_shared_state_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"].isdigit()
    assert response.json()["code"] == "shared_state_unavailable"
    assert "Traceback" not in response.text


def test_redis_going_away_is_503_and_the_server_recovers_by_itself(
    server: ServerProcess, redis_proxy: TcpProxy, shared_postgres: str, bundle: dict[str, Any]
) -> None:
    issuer = {"Authorization": f"Bearer {make_token(shared_postgres, Scope.ISSUER)}"}
    keyed = issuer | {"Idempotency-Key": "redis-fault-1"}
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        assert client.get("/readyz").json()["checks"]["redis"] == "ok"
        assert client.post(ISSUE, json=bundle, headers=keyed).status_code == 201

        redis_proxy.stop()
        ready = client.get("/readyz")
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["redis"].startswith("failing")
        assert checks["database"] == "ok"
        assert_shared_state_unavailable(client.post("/booking/appointments", json=BOOK))
        again = issuer | {"Idempotency-Key": "redis-fault-2"}
        assert_shared_state_unavailable(client.post(ISSUE, json=bundle, headers=again))

        redis_proxy.start()
        assert client.get("/readyz").status_code == 200
        assert client.post(ISSUE, json=bundle, headers=again).status_code == 201
        missing = client.post("/booking/appointments", json=BOOK)
        assert missing.status_code == 404, missing.text  # Redis and the database answer
    assert "Traceback" not in server.log()
