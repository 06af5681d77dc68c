"""The secrets scanner (tests/secrets_scan.py) finds what it is there to find, and a finding
fails a pytest run, so the suite-wide scan cannot pass silently."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

import pytest

from tests import secrets_scan
from vaxx.auth import service as auth_service
from vaxx.settings import DEVELOPMENT_KEY_PASSPHRASE
from wallet_api import sessions

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "vx_" + "Q2x9" * 11
HOLDER = "vxh_" + "Zr7-" * 11
PEM = "-----BEGIN EC PRIVATE KEY-----"
PKCS8 = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (f"GET /admin/clients Bearer {TOKEN}", "API client token"),
        (f'{{"token": "{HOLDER}"}}', "holder token"),
        ("claim with 7K3M-Q9TX-2B8R please", "claim code"),
        (f"key: {PEM}", "PEM private key"),
        (f"key material {PKCS8}", "PKCS#8 private key"),
        (f"passphrase was {DEVELOPMENT_KEY_PASSPHRASE}", "known secret"),
    ],
    ids=["token", "holder-token", "claim-code", "pem", "pkcs8", "passphrase"],
)
def test_scanner_finds_each_kind_and_masks_it(tmp_path: Path, line: str, kind: str) -> None:
    planted = tmp_path / "planted.txt"
    planted.write_text(f"a harmless line\n{line}\n")
    findings = secrets_scan.scan_file(planted, [DEVELOPMENT_KEY_PASSPHRASE])
    assert [(f.line, f.kind) for f in findings] == [(2, kind)]
    assert line.split()[-1].strip('"{}') not in str(findings[0])


def test_clean_lines_and_redacted_records_are_not_findings(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(
        "vaxx.access INFO POST /issuer/certificates 201 12.5ms\n"
        "vaxx INFO client sent [redacted]\n"
        "uuid 3f2a9c1e-77b0-4d1e-9a51-0c2d7e8f9a10 and URN:UVCI:01:TW:ABCDEF\n"
    )
    assert secrets_scan.scan_file(clean, ["vaxx-development-key-passphrase"]) == []


def test_minted_tokens_are_registered_wherever_they_were_imported() -> None:
    # The names the services call, not the defining modules' (imported with from-import).
    for mint in (vars(auth_service)["new_token"], vars(sessions)["new_holder_token"]):
        value = mint()
        assert value in secrets_scan._known, mint


def test_records_of_a_logger_that_does_not_propagate_are_teed_formatted() -> None:
    probe = logging.getLogger("vaxx.secrets-scan-probe")
    probe.propagate = False
    probe.addHandler(logging.NullHandler())
    marker = uuid.uuid4().hex
    probe.warning("probe %s with %d args", marker, 2)
    records = secrets_scan._state["basetemp"] / "secrets-scan" / "records.log"
    assert f"vaxx.secrets-scan-probe WARNING probe {marker} with 2 args" in records.read_text()


def _pytest_run(directory: Path, body: str) -> subprocess.CompletedProcess[str]:
    (directory / "test_planted.py").write_text(textwrap.dedent(body))
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.secrets_scan",
            "-p",
            "no:cacheprovider",
            f"--rootdir={directory}",
            "-c",
            os.devnull,
            f"--basetemp={directory / 'basetemp'}",
            str(directory / "test_planted.py"),
        ],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_secret_in_a_server_log_fails_the_run() -> None:
    # Outside this session's temporary directory, so the outer scan does not see the plant.
    with tempfile.TemporaryDirectory() as outside:
        planted = _pytest_run(
            Path(outside),
            f"""
            def test_writes_a_server_log(tmp_path):
                (tmp_path / "server.log").write_text("Authorization: Bearer {TOKEN}\\n")
            """,
        )
        assert planted.returncode == 1, planted.stdout + planted.stderr
        assert "1 passed" in planted.stdout
        assert "SECRETS IN LOGS: 1 finding(s)" in planted.stdout
        assert "server.log:1: API client token: vx_Q...(47 chars)" in planted.stdout
        assert TOKEN not in planted.stdout + planted.stderr


def test_leveldb_journals_are_not_logs(tmp_path: Path) -> None:
    """Chromium keeps the wallet page's local storage (its holder token) in LevelDB."""
    database = tmp_path / "Local Storage" / "leveldb"
    database.mkdir(parents=True)
    for name in ("CURRENT", "MANIFEST-000001", "000003.log"):
        (database / name).write_text("")
    server_log = tmp_path / "server.log"
    server_log.write_text("")
    assert secrets_scan._is_leveldb_journal(database / "000003.log")
    assert not secrets_scan._is_leveldb_journal(server_log)
