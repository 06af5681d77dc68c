"""``vaxx trust``: add-csca, import, list, revoke-dsc, init-keys, with clear errors."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from typer.testing import CliRunner

from tests.integration.trust_list.conftest import gateway_item, kid_b64
from tests.unit.trust_list import pki
from vaxx.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"VAXX_DATA_DIR": str(tmp_path / "data"), "VAXX_DATABASE_URL": database_url}


def test_add_import_list_revoke(tmp_path: Path, env: dict[str, str]) -> None:
    csca = pki.make_csca("TW")
    dsc = pki.make_dsc(csca)
    pem = tmp_path / "csca.pem"
    pem.write_bytes(csca.certificate.public_bytes(Encoding.PEM))
    trust_list = tmp_path / "trustlist.json"
    orphan = pki.make_dsc(pki.make_csca("IT"))
    trust_list.write_bytes(
        orjson.dumps([gateway_item(dsc.certificate, "TW"), gateway_item(orphan.certificate, "IT")])
    )

    added = runner.invoke(app, ["trust", "add-csca", str(pem)], env=env)
    assert added.exit_code == 0, added.output
    assert "trusted CSCA TW" in added.stdout

    imported = runner.invoke(app, ["trust", "import", str(trust_list)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "accepted 1, unchanged 0, skipped (not DSC) 0, rejected 1" in imported.stdout
    assert f"rejected {kid_b64(orphan.certificate)}: chain_invalid" in imported.stderr

    listed = runner.invoke(app, ["trust", "list"], env=env)
    assert f"DSC\tTW\t{kid_b64(dsc.certificate)}\trecovery,test,vaccination" in listed.stdout

    revoked = runner.invoke(app, ["trust", "revoke-dsc", kid_b64(dsc.certificate)], env=env)
    assert revoked.exit_code == 0, revoked.output
    listed = runner.invoke(app, ["trust", "list"], env=env)
    assert f"REVOKED\t{kid_b64(dsc.certificate)}" in listed.stdout
    assert "DSC\t" not in listed.stdout


def test_bad_certificate_exits_2_with_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    from vaxx.cli import main

    with pytest.raises(SystemExit) as exited:
        _run_main(main, ["trust", "add-csca", str(bad)], env)
    assert exited.value.code == 2


def test_init_keys_refuses_to_overwrite(env: dict[str, str], tmp_path: Path) -> None:
    first = runner.invoke(app, ["trust", "init-keys"], env=env)
    assert first.exit_code == 0, first.output
    assert (tmp_path / "data/trust-list/anchor.pem").is_file()
    assert (tmp_path / "data/trust-list/signer.key.pem").stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED" in (tmp_path / "data/trust-list/signer.key.pem").read_bytes()
    again = runner.invoke(app, ["trust", "init-keys"], env=env)
    assert again.exit_code != 0


def _run_main(main: object, argv: list[str], env: dict[str, str]) -> None:
    import sys

    monkey = pytest.MonkeyPatch()
    try:
        for key, value in env.items():
            monkey.setenv(key, value)
        monkey.setattr(sys, "argv", ["vaxx", *argv])
        main()  # type: ignore[operator]
    finally:
        monkey.undo()


def test_rotate_signer_keeps_the_anchor_and_resigns(env: dict[str, str], tmp_path: Path) -> None:
    assert runner.invoke(app, ["trust", "init-keys"], env=env).exit_code == 0
    anchor = (tmp_path / "data/trust-list/anchor.pem").read_bytes()
    signer = (tmp_path / "data/trust-list/signer.pem").read_bytes()
    rotated = runner.invoke(app, ["trust", "rotate-signer"], env=env)
    assert rotated.exit_code == 0, rotated.output
    assert "new signer" in rotated.stdout
    assert (tmp_path / "data/trust-list/anchor.pem").read_bytes() == anchor
    assert (tmp_path / "data/trust-list/signer.pem").read_bytes() != signer
