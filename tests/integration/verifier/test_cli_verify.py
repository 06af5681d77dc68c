"""``vaxx verify`` with the contract scripts rely on: exit codes, --json, --batch."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import MutableClock
from trust_list import TrustListError
from trust_list.client import FetchResponse, TrustListClient
from vaxx.cli import app

runner = CliRunner()
AT = "2022-03-01T08:00:00+08:00"


@pytest.fixture(scope="module")
def samples(shared_dir: Path) -> Path:
    return shared_dir / "standards/taiwan-ig/tw-dcc-samples"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_text_file_and_picture_inputs(samples: Path) -> None:
    dsc = str(samples / "TW-TST-DSC.pem")
    qr = (samples / "VAC.hc1.txt").read_text().strip()
    for source in (qr, "@" + str(samples / "VAC.hc1.txt"), str(samples / "VAC.jpg")):
        code, output = run("verify", source, "--trust-cert", dsc, "--at", AT)
        assert code == 0, output
        assert "verdict: valid" in output
        assert " 6. ok   signature" in output


def test_json_output(samples: Path) -> None:
    code, output = run(
        "verify",
        "@" + str(samples / "TEST.hc1.txt"),
        "--trust-cert",
        str(samples / "TW-TST-DSC.pem"),
        "--at",
        AT,
        "--json",
    )
    body = json.loads(output)
    assert code == 0
    assert body["valid"] is True
    assert body["verdict"] == "valid"
    assert [step["step"] for step in body["steps"]] == [
        "picture", "prefix", "base45", "decompress", "cose", "signature",
        "key_usage", "expiry", "schema", "revocation", "rules",
    ]  # fmt: skip
    assert body["steps"][0]["ok"] is None


def test_expired_is_exit_one(samples: Path) -> None:
    code, output = run(
        "verify",
        "@" + str(samples / "TEST.hc1.txt"),
        "--trust-cert",
        str(samples / "TW-TST-DSC.pem"),
        "--at",
        "2026-01-01T00:00:00Z",
    )
    assert code == 1
    assert "FAIL expiry" in output
    assert "verdict: invalid" in output


def test_batch_writes_json_lines_in_order(samples: Path, tmp_path: Path) -> None:
    lines = [
        (samples / "VAC.hc1.txt").read_text().strip(),
        "HC1:garbage",
        (samples / "TEST.hc1.txt").read_text().strip(),
    ]
    batch = tmp_path / "batch.txt"
    batch.write_text("\n".join(lines) + "\n")
    code, output = run(
        "verify", "--batch", str(batch), "--trust-cert", str(samples / "TW-TST-DSC.pem"), "--at", AT
    )
    results = [json.loads(line) for line in output.splitlines()]
    assert code == 1
    assert [r["verdict"] for r in results] == ["valid", "invalid", "valid"]
    assert results[2]["certificate_type"] == "test"


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "HC1:X"],
        ["verify", "--trust-cert", "x.pem"],
        ["verify", "HC1:X", "--trust-cert", "/nonexistent.pem"],
        ["verify", "HC1:X", "--trust-cert", "{dsc}", "--at", "2022-03-01T00:00:00"],
        ["verify", "HC1:X", "--trust-cert", "{dsc}", "--at", "tomorrow"],
    ],
    ids=["no-trust", "no-input", "missing-cert", "naive-time", "bad-time"],
)
def test_usage_errors_exit_two(samples: Path, args: list[str]) -> None:
    from vaxx.errors import InputError

    args = [arg.replace("{dsc}", str(samples / "TW-TST-DSC.pem")) for arg in args]
    result = runner.invoke(app, args)
    assert isinstance(result.exception, InputError)
    assert result.exception.exit_code == 2


def test_shipped_policy_refuses_a_positive_test(samples: Path) -> None:
    code, output = run(
        "verify",
        "@" + str(samples / "TEST.hc1.txt"),
        "--trust-cert",
        str(samples / "TW-TST-DSC.pem"),
        "--at",
        AT,
        "--policy",
        "TW-vaccinated-or-tested",
    )
    assert code == 1
    assert "FAIL rules" in output
    assert "TR-TW-0002" in output
    assert "verdict: rules_failed" in output


def test_cached_signed_trust_list_with_revocations(
    client: TestClient,
    anchor: x509.Certificate,
    issued: str,
    clock: MutableClock,
    tmp_path: Path,
) -> None:
    def fetch(url: str, headers: Mapping[str, str], max_bytes: int) -> FetchResponse:
        response = client.get(url.removeprefix("http://testserver"), headers=dict(headers))
        return FetchResponse(response.status_code, response.content, response.headers.get("etag"))

    TrustListClient("http://testserver", anchor, tmp_path / "cache", fetch=fetch).refresh(clock())
    anchor_file = tmp_path / "anchor.pem"
    anchor_file.write_bytes(anchor.public_bytes(Encoding.PEM))
    at = (clock() + timedelta(hours=1)).isoformat()
    code, output = run(
        "verify", issued, "--trust-list", str(tmp_path / "cache" / "trust-list.jws"),
        "--trust-anchor", str(anchor_file), "--at", at, "--json",
    )  # fmt: skip
    body = json.loads(output)
    assert code == 0, output
    assert [s["ok"] for s in body["steps"] if s["step"] == "revocation"] == [True]
    tampered = tmp_path / "cache" / "trust-list.jws"
    tampered.write_bytes(tampered.read_bytes()[:-8] + b"AAAAAAAA")
    result = runner.invoke(
        app,
        [
            "verify",
            issued,
            "--trust-list",
            str(tampered),
            "--trust-anchor",
            str(anchor_file),
            "--at",
            at,
        ],
    )
    assert isinstance(result.exception, TrustListError)
    assert result.exit_code != 0


@pytest.mark.parametrize(
    "text", ["x" * 5000, "bad\x00name", "NOT-HC1"], ids=["long", "nul", "plain"]
)
def test_odd_arguments_are_read_as_qr_text(samples: Path, text: str) -> None:
    code, output = run("verify", text, "--trust-cert", str(samples / "TW-TST-DSC.pem"), "--at", AT)
    assert code == 1
    assert "FAIL prefix" in output
