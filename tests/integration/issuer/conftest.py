"""Issuer API fixtures: the app with a development key store copied in, the example
Bundles, and the independent decoder bound to the exported DSCs."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from issuer.keys import KeyStore
from issuer.models import IssuedCertificate
from tests.conftest import auth
from tests.unit.issuer.independent_decoder import Decoded, decode_hc1
from vaxx.auth.scopes import Scope
from vaxx.settings import DEVELOPMENT_KEY_PASSPHRASE, Settings

KEYS_MADE = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def dev_key_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("issuer-keys") / "keys"
    store = KeyStore(directory, DEVELOPMENT_KEY_PASSPHRASE.encode())
    store.init(country="TW", now=KEYS_MADE, development=True)
    return directory


@pytest.fixture
def keys(settings: Settings, dev_key_template: Path) -> KeyStore:
    """The app's key store (the same directory the app reads)."""
    directory = settings.data_dir / "keys"
    shutil.copytree(dev_key_template, directory)
    return KeyStore(directory, DEVELOPMENT_KEY_PASSPHRASE.encode())


@pytest.fixture
def vaccination_bundle(shared_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (shared_dir / "examples" / "issue-vaccination-request.json").read_text("utf-8")
    )
    return data


@pytest.fixture
def test_bundle(shared_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (shared_dir / "examples" / "issue-test-request.json").read_text("utf-8")
    )
    return data


@pytest.fixture
def issuer_headers(keys: KeyStore, make_token: Callable[..., str]) -> dict[str, str]:
    return auth(make_token(Scope.ISSUER))


@pytest.fixture
def verify(keys: KeyStore) -> Callable[[str], Decoded]:
    """Decode an HC1 with the independent decoder against the exported public certificates."""

    def check(hc1: str) -> Decoded:
        return decode_hc1(hc1, keys.export_public_pem().encode())

    return check


def broken(bundle: dict[str, Any]) -> dict[str, Any]:
    """``bundle`` without its Patient's birth date (a profile error)."""
    changed = copy.deepcopy(bundle)
    for entry in changed["entry"]:
        entry["resource"].pop("birthDate", None)
    return changed


@pytest.fixture(autouse=True)
def every_issued_certificate_verifies(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each API test, every certificate in the register must verify in the independent
    decoder against the exported certificates and match what the register says of it."""
    if "app" not in request.fixturenames:
        yield
        return
    app: FastAPI = request.getfixturevalue("app")
    yield
    store: KeyStore = app.state.issuer_keys
    if not store.exists():
        return
    trusted = store.export_public_pem().encode()
    with app.state.sessionmaker() as session:
        for row in session.scalars(select(IssuedCertificate)):
            decoded = decode_hc1(row.hc1, trusted)
            assert decoded.dcc == row.payload
            assert decoded.kid == row.kid
            assert decoded.signature == row.signature
            assert hashlib.sha256(decoded.signed_payload).digest() == row.payload_sha256
            assert decoded.claims[6] == int(row.issued_at.timestamp())
            assert decoded.claims[4] == int(row.expires_at.timestamp())
            [entry] = decoded.dcc[{"vaccination": "v", "test": "t", "recovery": "r"}[row.kind]]
            assert entry["ci"] == row.uvci
