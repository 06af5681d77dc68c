"""The real server, driven over HTTP as a new user would."""

import os
import stat

import httpx
import pytest

from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.e2e
PROBLEM = "application/problem+json"


def test_first_start_prepares_state_and_serves(server: RunningServer) -> None:
    data_dir = server.env["VAXX_DATA_DIR"]
    database = f"{data_dir}/vaxx.sqlite3"
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(data_dir).st_mode) == 0o700
    assert "vaxx clients create --name admin --scope admin --print-token" in server.log()

    assert httpx.get(f"{server.base_url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{server.base_url}/readyz")
    assert ready.status_code == 200, ready.text
    assert httpx.get(f"{server.base_url}/docs").status_code == 200


def test_token_lifecycle_and_problem_bodies(server: RunningServer) -> None:
    created = server.vaxx(
        "clients", "create", "--name", "admin", "--scope", "admin", "--print-token"
    )
    assert created.returncode == 0, created.stderr
    admin_token = created.stdout.strip()
    admin = {"Authorization": f"Bearer {admin_token}"}
    base = server.base_url

    no_token = httpx.get(f"{base}/admin/clients")
    assert no_token.status_code == 401
    assert no_token.headers["content-type"] == PROBLEM

    clinic = httpx.post(
        f"{base}/admin/clients", json={"name": "clinic", "scopes": ["issuer"]}, headers=admin
    )
    assert clinic.status_code == 201
    clinic_auth = {"Authorization": f"Bearer {clinic.json()['token']}"}
    forbidden = httpx.get(f"{base}/admin/clients", headers=clinic_auth)
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "forbidden"

    malformed = httpx.post(
        f"{base}/admin/clients",
        content=b"{not json",
        headers={**admin, "content-type": "application/json"},
    )
    assert malformed.status_code == 422
    assert malformed.headers["content-type"] == PROBLEM

    too_big = httpx.post(
        f"{base}/admin/clients",
        content=b"0" * (2 * 1024 * 1024),
        headers={**admin, "content-type": "application/json"},
    )
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "payload_too_large"

    log = server.log()
    assert admin_token not in log
    assert clinic.json()["token"] not in log
    assert "Traceback" not in log


def test_x_forwarded_for_from_an_untrusted_peer_does_not_pick_the_address(
    server: RunningServer,
) -> None:
    """With no ``VAXX_TRUSTED_PROXIES`` (the default) neither uvicorn nor the rate limiter
    believes X-Forwarded-For, even from 127.0.0.1: a client cannot dodge the per-address
    limit by writing a new address into every request."""
    limit = 30  # VAXX_RATE_LIMIT_WALLET_LOGIN's default
    statuses = [
        httpx.post(
            f"{server.base_url}/wallet/api/login/start",
            json={},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
        ).status_code
        for i in range(limit + 1)
    ]
    assert statuses[:limit] == [422] * limit
    assert statuses[limit] == 429
