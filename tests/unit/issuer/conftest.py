"""Key stores for the issuer's tests: made once per session, copied per test (key
generation and encryption are the slow part)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from issuer.keys import KeyStore

PASSPHRASE = b"test passphrase"
CREATED = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def key_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("keys-template") / "keys"
    KeyStore(directory, PASSPHRASE).init(country="TW", now=CREATED, development=True)
    return directory


@pytest.fixture
def store(key_template: Path, tmp_path: Path) -> KeyStore:
    directory = tmp_path / "keys"
    shutil.copytree(key_template, directory)
    return KeyStore(directory, PASSPHRASE)
