"""API clients and the audit log over HTTP, on SQLite and PostgreSQL."""

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.conftest import MutableClock, auth
from vaxx.auth.scopes import Scope

PROBLEM = "application/problem+json"


def test_missing_token_is_401_problem(client: TestClient) -> None:
    response = client.get("/admin/clients")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "unauthenticated"
    assert body["status"] == 401
    assert body["instance"] == "/admin/clients"


def test_unknown_token_is_401(client: TestClient) -> None:
    response = client.get("/admin/clients", headers=auth("vx_not-a-real-token"))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_wrong_scope_is_403_problem(client: TestClient, make_token: Callable[..., str]) -> None:
    token = make_token(Scope.ISSUER)
    response = client.get("/admin/clients", headers=auth(token))
    assert response.status_code == 403
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "forbidden"


def test_admin_creates_lists_and_revokes_a_client(
    client: TestClient, make_token: Callable[..., str]
) -> None:
    admin = auth(make_token(Scope.ADMIN, name="root"))
    created = client.post(
        "/admin/clients", json={"name": "Taipei City Hospital", "scopes": ["issuer"]}, headers=admin
    )
    assert created.status_code == 201
    new = created.json()
    assert new["token"].startswith("vx_")
    assert new["scopes"] == ["issuer"]

    listed = client.get("/admin/clients", headers=admin).json()
    assert {c["name"] for c in listed} == {"root", "Taipei City Hospital"}
    assert all("token" not in c and "token_hash" not in c for c in listed)
    assert new["token"] not in client.get("/admin/clients", headers=admin).text

    # The new token works for its own scope only.
    assert client.get("/admin/clients", headers=auth(new["token"])).status_code == 403

    revoked = client.post(f"/admin/clients/{new['id']}/revoke", headers=admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/admin/clients", headers=auth(new["token"])).status_code == 401

    actions = [e["action"] for e in client.get("/admin/audit", headers=admin).json()]
    assert actions[:2] == ["client.revoke", "client.create"]


def test_expired_token_is_refused(
    client: TestClient, make_token: Callable[..., str], clock: MutableClock
) -> None:
    admin = auth(make_token(Scope.ADMIN))
    expires = (clock.now + timedelta(hours=1)).isoformat()
    token = client.post(
        "/admin/clients",
        json={"name": "short-lived", "scopes": ["admin"], "expires_at": expires},
        headers=admin,
    ).json()["token"]
    assert client.get("/admin/clients", headers=auth(token)).status_code == 200
    clock.now += timedelta(hours=2)
    assert client.get("/admin/clients", headers=auth(token)).status_code == 401


def test_revoking_unknown_client_is_404(client: TestClient, make_token: Callable[..., str]) -> None:
    response = client.post("/admin/clients/nope/revoke", headers=auth(make_token(Scope.ADMIN)))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_invalid_client_body_is_422_with_field_errors(
    client: TestClient, make_token: Callable[..., str]
) -> None:
    response = client.post(
        "/admin/clients",
        json={"name": "", "scopes": ["root"]},
        headers=auth(make_token(Scope.ADMIN)),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    locations = {tuple(e["location"]) for e in body["errors"]}
    assert ("body", "name") in locations
    assert ("body", "scopes", "0") in locations


def test_audit_paging(client: TestClient, make_token: Callable[..., str]) -> None:
    admin = auth(make_token(Scope.ADMIN))
    for n in range(5):
        client.post("/admin/clients", json={"name": f"c{n}", "scopes": ["verifier"]}, headers=admin)
    first = client.get("/admin/audit?limit=3", headers=admin).json()
    assert len(first) == 3
    rest = client.get(f"/admin/audit?limit=10&before_id={first[-1]['id']}", headers=admin).json()
    assert len(first) + len(rest) == 6
    assert {e["id"] for e in first}.isdisjoint({e["id"] for e in rest})


def test_audit_page_cursor_beyond_64_bits_is_invalid_input(
    client: TestClient, make_token: Callable[..., str]
) -> None:
    """A regression the OpenAPI fuzzing guards: the cursor once reached the driver (500)."""
    response = client.get(
        "/admin/audit", params={"before_id": 2**63}, headers=auth(make_token(Scope.ADMIN))
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
