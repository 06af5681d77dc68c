"""EU business-rule sets with their own test cases (../shared/conformance/business-rules).

Every ``<SET>/<RULE-ID>/rule.json`` must load (gateway schema + CertLogic validator)
and give each of its ``tests/testNNN.json`` the expected result. No skips. The
``MT/`` rules have no tests (upstream tooling ignores them); they are only loaded.
Two of them are broken and must be reported as rule errors, not crash: one is not
valid JSON (trailing comma), the other has an ``if`` with four operands.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from verifier.errors import RuleSetError
from verifier.rule_tests import run_rule_tests
from verifier.rules import load_rule

EXPECTED_TESTS = 888


@pytest.fixture(scope="module")
def rules_dir(shared_dir: Path) -> Path:
    return shared_dir / "conformance/business-rules"


def test_every_rule_test_case_passes(rules_dir: Path) -> None:
    report = run_rule_tests([rules_dir])
    per_set: Counter[str] = Counter()
    for result in report.results:
        per_set[result.rule.split("-")[1]] += 1
    print(f"\nbusiness rules: {report.passed} passed, {len(report.failed)} failed")
    print(
        "  tests per set: " + ", ".join(f"{key} {value}" for key, value in sorted(per_set.items()))
    )
    assert not report.failed, "\n".join(f"{r.rule} {r.test}: {r.detail}" for r in report.failed)
    assert report.passed == EXPECTED_TESTS


def test_malta_rules_load_and_the_broken_file_is_reported(rules_dir: Path) -> None:
    loaded, broken = [], []
    for path in sorted((rules_dir / "MT").rglob("*.json")):
        try:
            loaded.append(load_rule(path).identifier)
        except RuleSetError as exc:
            broken.append((path.name, exc.detail))
    assert len(loaded) == 6
    assert [name for name, _ in broken] == ["TR-MT-0001.json", "VR-MT-0005.json"]
    assert "cannot read rule" in broken[0][1]
    assert '"if" has the wrong arity' in broken[1][1]
