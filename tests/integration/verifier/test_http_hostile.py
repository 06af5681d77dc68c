"""Hostile payloads through the HTTP verify endpoint: each bounded decoder (unit-tested in
tests/unit/verifier) also holds behind the API, answering a verdict or a problem, never a
500: a zip bomb, CBOR nested past the depth cap, a pixel bomb, an upload over the limit."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from issuer._internal.base45 import encode as base45
from tests.conftest import auth
from vaxx.auth.scopes import Scope
from vaxx.settings import Settings
from verifier.router import MAX_QR_TEXT


def _hc1(payload: bytes) -> str:
    text = "HC1:" + base45(zlib.compress(payload, 9))
    assert len(text) <= MAX_QR_TEXT, "the payload must pass the text cap to reach the decoder"
    return text


def _failed_step(body: dict[str, Any]) -> dict[str, Any]:
    assert body["valid"] is False
    return next(s for s in body["steps"] if not s["ok"] and s["code"] != "not_run")


@pytest.fixture
def verifier_headers(make_token: Callable[..., str]) -> dict[str, str]:
    return auth(make_token(Scope.VERIFIER))


def test_zip_bomb_in_the_qr_text_is_a_decompress_verdict(
    client: TestClient, verifier_headers: dict[str, str]
) -> None:
    bomb = _hc1(b"\0" * (4 * 1024 * 1024))
    response = client.post("/verifier/verify", json={"qr": bomb}, headers=verifier_headers)
    assert response.status_code == 200, response.text
    assert _failed_step(response.json())["code"] == "decompress_failed"


def test_cbor_nested_past_the_depth_cap_is_a_verdict(
    client: TestClient, verifier_headers: dict[str, str]
) -> None:
    nested = b"\xd2" + b"\x81" * 500 + b"\x00"  # tag 18 (COSE_Sign1), then 500 nested arrays
    response = client.post("/verifier/verify", json={"qr": _hc1(nested)}, headers=verifier_headers)
    assert response.status_code == 200, response.text
    step = _failed_step(response.json())
    assert step["step"] != "picture"
    assert step["code"] not in ("ok", "internal_error")


def test_pixel_bomb_upload_is_refused_before_decoding(
    client: TestClient, verifier_headers: dict[str, str]
) -> None:
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG")
    files = {"image": ("bomb.png", out.getvalue(), "image/png")}
    response = client.post("/verifier/verify", files=files, headers=verifier_headers)
    assert response.status_code == 200, response.text
    step = _failed_step(response.json())
    assert (step["step"], step["code"]) == ("picture", "picture_unreadable")
    assert "pixels" in step["message"]


def test_upload_over_the_limit_is_413_before_it_is_read(
    client: TestClient, verifier_headers: dict[str, str], settings: Settings
) -> None:
    files = {"image": ("big.png", b"\0" * (settings.max_upload_bytes + 1), "image/png")}
    response = client.post("/verifier/verify", files=files, headers=verifier_headers)
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "payload_too_large"
