"""Every error is RFC 9457 problem+json: unknown routes, bad bodies, oversize, deep JSON."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import auth
from vaxx.auth.scopes import Scope

PROBLEM = "application/problem+json"


def test_unknown_route_is_404_problem(client: TestClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_405_problem(client: TestClient) -> None:
    response = client.delete("/healthz")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_422_problem(client: TestClient, make_token: Callable[..., str]) -> None:
    response = client.post(
        "/admin/clients",
        content=b'{"name": "x", "scopes": [',
        headers={**auth(make_token(Scope.ADMIN)), "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "invalid_input"


def test_oversize_body_is_413_before_auth(client: TestClient) -> None:
    response = client.post(
        "/admin/clients",
        content=b"x" * (1024 * 1024 + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "payload_too_large"


def test_deep_json_is_refused_cleanly(client: TestClient, make_token: Callable[..., str]) -> None:
    response = client.post(
        "/admin/clients",
        content=b"[" * 5000 + b"]" * 5000,
        headers={**auth(make_token(Scope.ADMIN)), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"


def test_request_id_is_echoed_and_in_problems(client: TestClient) -> None:
    response = client.get("/admin/clients", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.json()["request_id"] == "abc-123"


def test_unsafe_request_id_is_replaced(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


def test_multipart_upload_gets_the_larger_limit(client: TestClient) -> None:
    photo = b"\xff" * (2 * 1024 * 1024)
    response = client.post("/admin/clients", files={"image": ("qr.jpg", photo, "image/jpeg")})
    # Past the body limit (1 MiB) but within the upload limit: the route answers (401 here).
    assert response.status_code == 401
    huge = b"\xff" * (11 * 1024 * 1024)
    response = client.post("/admin/clients", files={"image": ("qr.jpg", huge, "image/jpeg")})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
