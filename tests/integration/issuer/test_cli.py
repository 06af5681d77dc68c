"""``vaxx keys ...`` and ``vaxx issue``: offline signing that the independent decoder accepts."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from cryptography import x509
from PIL import Image
from typer.testing import CliRunner

from issuer.errors import BadRequest, KeysMissing, KeysUnusable
from tests.unit.issuer.independent_decoder import decode_hc1
from vaxx.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {"VAXX_DATA_DIR": str(tmp_path / "data"), "VAXX_DATABASE_URL": database_url}


def run(env: dict[str, str], *args: str) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def test_keys_init_list_rotate_export(env: dict[str, str], tmp_path: Path) -> None:
    created = run(env, "keys", "init")
    assert "created development key store" in created
    rotated = run(env, "keys", "rotate", "--type", "test")
    assert "test\t" in rotated
    listed = run(env, "keys", "list").splitlines()
    assert listed[0].startswith("CSCA\t")
    assert [line.rsplit("\t", 1)[1] for line in listed[1:]] == ["active", "active"]
    exported = run(env, "keys", "export-public")
    assert len(x509.load_pem_x509_certificates(exported.encode())) == 3
    assert "PRIVATE" not in exported + created + rotated + "".join(listed)
    for path in (tmp_path / "data" / "keys").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_keys_init_twice_is_refused(env: dict[str, str]) -> None:
    run(env, "keys", "init")
    result = runner.invoke(app, ["keys", "init"], env=env)
    assert isinstance(result.exception, KeysUnusable)


def test_issue_prints_an_hc1_that_verifies_and_writes_png_and_pdf(
    env: dict[str, str], shared_dir: Path, tmp_path: Path
) -> None:
    run(env, "keys", "init")
    bundle = shared_dir / "examples" / "issue-vaccination-request.json"
    png, pdf = tmp_path / "qr.png", tmp_path / "card.pdf"
    hc1 = run(env, "issue", str(bundle), "--png", str(png), "--pdf", str(pdf)).strip()
    exported = run(env, "keys", "export-public").encode()
    decoded = decode_hc1(hc1, exported)
    assert decoded.dcc["nam"]["fn"] == "陳"
    barcode = zxingcpp.read_barcode(Image.open(png), formats=zxingcpp.QRCode)
    assert barcode is not None
    assert barcode.text == hc1
    assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("content", "message"),
    [("not json", "not JSON"), ("[1]", "JSON object"), ("[" * 100 + "]" * 100, "nests deeper")],
    ids=["not-json", "not-object", "too-deep"],
)
def test_issue_rejects_a_bad_file(
    env: dict[str, str], tmp_path: Path, content: str, message: str
) -> None:
    run(env, "keys", "init")
    path = tmp_path / "bundle.json"
    path.write_text(content)
    result = runner.invoke(app, ["issue", str(path)], env=env)
    assert isinstance(result.exception, BadRequest)
    assert message in str(result.exception)


def test_issue_without_keys_says_how_to_make_them(env: dict[str, str], shared_dir: Path) -> None:
    bundle = shared_dir / "examples" / "issue-test-request.json"
    result = runner.invoke(app, ["issue", str(bundle)], env=env)
    assert isinstance(result.exception, KeysMissing)
    assert "vaxx keys init" in str(result.exception)


def test_issue_of_an_invalid_bundle_is_an_input_error(
    env: dict[str, str], shared_dir: Path, tmp_path: Path
) -> None:
    run(env, "keys", "init")
    data: dict[str, Any] = json.loads(
        (shared_dir / "examples" / "issue-test-request.json").read_text("utf-8")
    )
    data["entry"] = []
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["issue", str(path)], env=env)
    assert getattr(result.exception, "exit_code", None) == 2


def test_issue_refuses_a_file_over_the_body_limit(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "keys", "init")
    path = tmp_path / "bundle.json"
    path.write_text('{"a": "' + "x" * 2000 + '"}')
    result = runner.invoke(app, ["issue", str(path)], env={**env, "VAXX_MAX_BODY_BYTES": "1000"})
    assert isinstance(result.exception, BadRequest)
    assert "larger than 1000 bytes" in str(result.exception)
