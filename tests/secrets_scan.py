"""A pytest plugin: every log written during the suite is scanned for secrets at the end.

What is scanned:

* every log record any logger emits in the test process, after its handlers ran (so after
  vaxx's own redaction, where it applies), teed with its arguments formatted and its
  traceback into ``<basetemp>/secrets-scan/records.log``;
* every ``*.log`` file under the session's base temporary directory: the logs of the real
  servers the e2e tests start (``server.log``...) live there (LevelDB journals, which
  Chromium's profile also names ``*.log``, are database files and are skipped);
* any other file passed to :func:`register_log`.

What counts as a secret: API client tokens (``vx_...``), holder tokens (``vxh_...``),
claim codes (``XXXX-XXXX-XXXX``), PEM private keys and base64 PKCS#8 / SEC1 private key
headers, by pattern; and literally, every token and claim code minted while the suite ran
(the minting functions are wrapped wherever they were imported), the passphrases the tests
use, and whatever a test hands to :func:`register_secret`.

A finding fails the run (exit status 1) and is printed as file:line with the secret masked.
One exception, by design: the development outbox notifier logs claim codes
(``wallet_api.notify``, so a developer can claim without an SMS gateway); production never
does, which wallet_api's own test asserts.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

from vaxx.settings import DEVELOPMENT_KEY_PASSPHRASE, DEVELOPMENT_WALLET_SECRET

PATTERNS: dict[str, re.Pattern[str]] = {
    "API client token": re.compile(r"(?<![A-Za-z0-9])vx_[A-Za-z0-9_\-]{20,}"),
    "holder token": re.compile(r"(?<![A-Za-z0-9])vxh_[A-Za-z0-9_\-]{20,}"),
    "claim code": re.compile(
        r"(?<![0-9A-Za-z\-])[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"
        r"(?![0-9A-Za-z\-])"
    ),
    "PEM private key": re.compile(r"PRIVATE KEY-----"),
    "PKCS#8 private key": re.compile(
        r"MIGHAgEAMBMGByqGSM49|MII[A-Za-z0-9+/]{2}AgEAMA0GCSqGSIb3DQEBAQUABI|"
        r"MII[A-Za-z0-9+/]{2}MEAGCSqGSIb3DQEFDTA|MII[A-Za-z0-9+/]{2}ME4GCSqGSIb3DQEFDTB"
    ),
    "SEC1 EC private key": re.compile(r"MHcCAQEEI"),
}
"""Base64 headers: EC P-256 PKCS#8, RSA PKCS#8, encrypted PKCS#8 (PBES2), SEC1 EC."""

LOGGED_BY_DESIGN = {"claim code": ("wallet_api.notify ",)}
"""Record prefixes where a pattern is expected (see the module docstring)."""

_known: set[str] = {
    DEVELOPMENT_KEY_PASSPHRASE,
    DEVELOPMENT_WALLET_SECRET,
    "test passphrase",
    "a real passphrase from a vault",
    "another real secret from a vault, 32+ bytes long",
}
_extra_logs: list[Path] = []
_state: dict[str, Path] = {}


def register_secret(value: str) -> None:
    """Fail the run if ``value`` shows up in any log."""
    if len(value) >= 8:
        _known.add(value)


def register_printed_tokens(output: str) -> None:
    """Register the tokens a CLI run in a subprocess printed (``clients create --print-token``)."""
    for kind in ("API client token", "holder token"):
        for token in PATTERNS[kind].findall(output):
            register_secret(token)


def register_log(path: Path) -> None:
    """Scan ``path`` at the end too (logs outside the session's temporary directory)."""
    _extra_logs.append(path)


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    masked: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.masked}"


def mask(secret: str) -> str:
    """Enough to find it, too little to use it."""
    return f"{secret[:4]}...({len(secret)} chars)"


def scan_file(path: Path, known: Iterable[str] = ()) -> list[Finding]:
    """The secrets in the text file ``path``, by pattern and by the literal ``known`` values."""
    literals = [value for value in known if value]
    findings: list[Finding] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            for kind, pattern in PATTERNS.items():
                if line.startswith(LOGGED_BY_DESIGN.get(kind, ("\0",))):
                    continue
                findings.extend(
                    Finding(path, number, kind, mask(match.group()))
                    for match in pattern.finditer(line)
                )
            findings.extend(
                Finding(path, number, "known secret", mask(value))
                for value in literals
                if value in line and not _logged_by_design(line, value)
            )
    return findings


def _logged_by_design(line: str, value: str) -> bool:
    is_claim_code = PATTERNS["claim code"].fullmatch(value) is not None
    return is_claim_code and line.startswith(LOGGED_BY_DESIGN["claim code"])


class _Tee:
    """Writes each record, as its handlers left it, to one file."""

    def __init__(self, sink: TextIO) -> None:
        self.sink = sink
        self.lock = threading.Lock()

    def __call__(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!r} % {record.args!r}"
        if record.exc_info:
            message += "\n" + logging.Formatter().formatException(record.exc_info)
        with self.lock:
            self.sink.write(f"{record.name} {record.levelname} {message}\n")
            self.sink.flush()


def _minted(original: Callable[..., str]) -> Callable[..., str]:
    def mint(*args: Any, **kwargs: Any) -> str:
        value = original(*args, **kwargs)
        register_secret(value)
        return value

    return mint


def _wrap_minting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap the token and claim-code generators in every module that imported them."""
    from vaxx.auth import tokens
    from wallet_api._internal import codes

    originals = {tokens.new_token, codes.new_holder_token, codes.new_claim_code}
    for module in list(sys.modules.values()):
        for name, value in list(vars(module).items() if module else ()):
            if callable(value) and any(value is original for original in originals):
                monkeypatch.setattr(module, name, _minted(value))


PROJECT_LOGGERS = ("vaxx", "profiles", "issuer", "trust_list", "verifier", "wallet_api", "booking")


@pytest.fixture(scope="session", autouse=True)
def _tee_every_log_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tee every record; log the project at INFO, as production does, so the scan sees that."""
    base = tmp_path_factory.getbasetemp()
    directory = tmp_path_factory.mktemp("secrets-scan", numbered=False)
    _state["basetemp"] = base
    original = logging.Logger.callHandlers
    with (
        (directory / "records.log").open("w", encoding="utf-8") as sink,
        pytest.MonkeyPatch.context() as patch,
    ):
        tee = _Tee(sink)

        def call_handlers(self: logging.Logger, record: logging.LogRecord) -> None:
            original(self, record)
            tee(record)

        patch.setattr(logging.Logger, "callHandlers", call_handlers)
        _wrap_minting(patch)
        quiet = [logging.getLogger(name) for name in PROJECT_LOGGERS]
        quiet = [logger for logger in quiet if logger.level == logging.NOTSET]
        for logger in quiet:
            logger.setLevel(logging.INFO)
        try:
            yield
        finally:
            for logger in quiet:
                logger.setLevel(logging.NOTSET)


def _is_leveldb_journal(path: Path) -> bool:
    """A LevelDB database's ``NNNNNN.log`` journal (Chromium's profile in the page tests keeps
    the wallet's local storage in one): database content, not a log anyone reads."""
    return (path.parent / "CURRENT").is_file() and any(path.parent.glob("MANIFEST-*"))


def scan_session() -> list[Finding]:
    base = _state.get("basetemp")
    paths = [p for p in sorted(base.rglob("*.log")) if not _is_leveldb_journal(p)] if base else []
    findings: list[Finding] = []
    for path in [*paths, *_extra_logs]:
        if path.is_file():
            findings.extend(scan_file(path, _known))
    return findings


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    findings = scan_session()
    if not findings:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    write = reporter.write_line if reporter else lambda line: print(line, file=sys.stderr)
    write(f"SECRETS IN LOGS: {len(findings)} finding(s); the run fails")
    for finding in findings[:50]:
        write(f"  {finding}")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
