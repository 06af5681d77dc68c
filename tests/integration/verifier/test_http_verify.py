"""POST /verifier/verify against the server's own trust registry (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import qrcode
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import MutableClock, auth
from trust_list import service
from vaxx import db
from vaxx.auth.scopes import Scope


def test_own_certificate_verifies_as_text_and_picture(
    client: TestClient, make_token: Callable[..., str], issued: str, clock: MutableClock
) -> None:
    headers = auth(make_token(Scope.VERIFIER))
    clock.now = clock.now + timedelta(days=30)
    response = client.post("/verifier/verify", json={"qr": issued}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid", body["steps"]
    assert body["valid"] is True
    revocation = next(step for step in body["steps"] if step["step"] == "revocation")
    assert revocation["ok"] is True
    picture = io.BytesIO()
    qrcode.make(issued).get_image().save(picture, format="PNG")
    files = {"image": ("qr.png", picture.getvalue(), "image/png")}
    response = client.post(
        "/verifier/verify", files=files, data={"policy": "TW-booster"}, headers=headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid", body["steps"]
    assert body["steps"][0] == {"step": "picture", "ok": True, "code": "ok", "message": ""}
    assert body["rules"]["country"] == "TW"


def test_foreign_certificate_cannot_be_verified(
    client: TestClient, make_token: Callable[..., str], shared_dir: Path
) -> None:
    qr = (shared_dir / "standards/taiwan-ig/tw-dcc-samples/VAC.hc1.txt").read_text().strip()
    response = client.post(
        "/verifier/verify", json={"qr": qr}, headers=auth(make_token(Scope.VERIFIER))
    )
    assert response.status_code == 200
    assert response.json()["verdict"] == "cannot_verify"
    assert response.json()["holder"] is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        (
            {"content": b"not json", "headers": {"content-type": "application/json"}},
            "invalid_input",
        ),
        ({"json": {"qr": 42}}, "invalid_input"),
        ({"json": {"qr": "HC1:" + "A" * 9000}}, "invalid_input"),
        ({"json": {"qr": "HC1:X", "policy": "anything-goes"}}, "rule_set_invalid"),
        ({"files": {"photo": ("x.png", b"x", "image/png")}}, "invalid_input"),
    ],
    ids=["not-json", "qr-not-string", "qr-too-long", "unknown-policy", "form-without-image"],
)
def test_malformed_requests_are_problems(
    client: TestClient, make_token: Callable[..., str], kwargs: dict[str, object], code: str
) -> None:
    headers = auth(make_token(Scope.VERIFIER))
    extra = kwargs.pop("headers", {})
    response = client.post("/verifier/verify", headers=headers | extra, **kwargs)  # type: ignore[operator, arg-type]
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_needs_the_verifier_scope(client: TestClient, make_token: Callable[..., str]) -> None:
    assert client.post("/verifier/verify", json={"qr": "HC1:X"}).status_code == 401
    wrong = auth(make_token(Scope.ISSUER))
    assert client.post("/verifier/verify", json={"qr": "HC1:X"}, headers=wrong).status_code == 403


def test_page_and_assets_are_served(client: TestClient) -> None:
    page = client.get("/verifier/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/verifier/assets/verify.js" in page.text
    assert (
        client.get("/verifier/assets/verify.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )
    missing = client.get("/verifier/assets/secrets.py")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_withdrawn_dsc_is_refused_at_once(
    client: TestClient,
    make_token: Callable[..., str],
    issued: str,
    clock: MutableClock,
    session_factory: sessionmaker[Session],
) -> None:
    headers = auth(make_token(Scope.VERIFIER))
    first = client.post("/verifier/verify", json={"qr": issued}, headers=headers).json()
    assert first["verdict"] == "valid"
    with db.transaction(session_factory) as session:
        service.revoke_dsc(
            session, first["kid"], reason="key compromise", now=clock(), actor="test"
        )
    second = client.post("/verifier/verify", json={"qr": issued}, headers=headers).json()
    assert second["verdict"] == "cannot_verify"
    assert [s["code"] for s in second["steps"] if s["ok"] is False] == ["kid_unknown"]
