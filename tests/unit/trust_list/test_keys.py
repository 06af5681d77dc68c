"""The trust-list signing key on disk: generated once in development, encrypted, 0600."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.unit.trust_list import pki
from trust_list import envelope, keys
from trust_list.errors import SigningKeyMissing
from vaxx.settings import Settings


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None, **overrides)  # type: ignore[call-arg, arg-type]


def test_development_keys_are_made_once_encrypted_and_owner_only(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    keys.ensure_development_keys(settings, pki.NOW)
    key_file = tmp_path / "trust-list/signer.key.pem"
    first = key_file.read_bytes()
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert b"BEGIN ENCRYPTED PRIVATE KEY" in first
    keys.ensure_development_keys(settings, pki.NOW)
    assert key_file.read_bytes() == first


def test_production_never_generates_keys(tmp_path: Path) -> None:
    settings = _settings(tmp_path, env="production")
    keys.ensure_development_keys(settings, pki.NOW)
    assert not (tmp_path / "trust-list").exists()
    with pytest.raises(SigningKeyMissing):
        keys.load_signer(settings)


def test_wrong_passphrase_is_a_configuration_error(tmp_path: Path) -> None:
    keys.generate_keys(_settings(tmp_path), pki.NOW)
    with pytest.raises(SigningKeyMissing, match="unusable"):
        keys.load_signer(_settings(tmp_path, key_passphrase=SecretStr("wrong")))


def test_loaded_signer_seals_what_the_anchor_verifies(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    anchor = keys.generate_keys(settings, pki.NOW)
    document = {"type": envelope.TRUST_LIST, "version": 1}
    sealed = envelope.seal(document, envelope.TRUST_LIST, keys.load_signer(settings))
    opened = envelope.open_sealed(
        sealed, kind=envelope.TRUST_LIST, anchor=anchor, now=pki.NOW, max_bytes=10_000
    )
    assert opened == document
    assert keys.load_anchor(settings) == anchor


def test_production_refuses_a_development_signer(tmp_path: Path) -> None:
    keys.ensure_development_keys(_settings(tmp_path), pki.NOW)
    production = _settings(tmp_path, env="production")
    with pytest.raises(SigningKeyMissing, match="development key"):
        keys.require_production_keys(production)


def test_production_accepts_operator_made_keys(tmp_path: Path) -> None:
    production = _settings(tmp_path, env="production")
    keys.generate_keys(production, pki.NOW)
    keys.require_production_keys(production)


def test_rotated_signer_chains_to_the_same_anchor(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    anchor = keys.generate_keys(settings, pki.NOW)
    old = keys.load_signer(settings)
    keys.rotate_signer(settings, pki.NOW)
    new = keys.load_signer(settings)
    assert new.certificate != old.certificate
    document = {"type": envelope.TRUST_LIST, "version": 2}
    sealed = envelope.seal(document, envelope.TRUST_LIST, new)
    assert (
        envelope.open_sealed(
            sealed, kind=envelope.TRUST_LIST, anchor=anchor, now=pki.NOW, max_bytes=10_000
        )
        == document
    )


def test_mismatched_key_and_certificate_are_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    keys.generate_keys(settings, pki.NOW)
    anchor_pem = (tmp_path / "trust-list/anchor.pem").read_bytes()
    (tmp_path / "trust-list/signer.pem").write_bytes(anchor_pem)
    with pytest.raises(SigningKeyMissing, match="do not match"):
        keys.load_signer(settings)
