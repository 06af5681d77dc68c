"""``vaxx rules test`` as a rule author runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vaxx.cli import app
from verifier.rules import EXAMPLE_RULE

runner = CliRunner()


def make_set(root: Path, expected: bool) -> Path:
    folder = root / "XX" / "VR-XX-0001"
    (folder / "tests").mkdir(parents=True)
    (folder / "rule.json").write_text(json.dumps(EXAMPLE_RULE))
    test = {
        "name": "half done",
        "payload": {"v": [{"dn": 1, "sd": 2}]},
        "external": {},
        "expected": expected,
    }
    (folder / "tests" / "test001.json").write_text(json.dumps(test))
    return root


def test_all_passing_exits_zero(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", str(make_set(tmp_path, False))])
    assert result.exit_code == 0
    assert result.output.strip().splitlines()[-1] == "1 passed, 0 failed"


def test_failure_is_printed_with_rule_and_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", str(make_set(tmp_path, True))])
    assert result.exit_code == 1
    assert (
        "FAIL VR-XX-0001 test001.json (half done): expected True, rule gave False" in result.output
    )
    assert result.output.strip().splitlines()[-1] == "0 passed, 1 failed"


def test_malformed_rule_is_reported_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "XX" / "VR-XX-0002"
    folder.mkdir(parents=True)
    (folder / "rule.json").write_text('{"Identifier": "VR-XX-0002", "Logic": {"if": [1,]}}')
    result = runner.invoke(app, ["rules", "test", str(tmp_path)])
    assert result.exit_code == 1
    assert "FAIL VR-XX-0002 rule.json: " in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
