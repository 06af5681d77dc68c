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
