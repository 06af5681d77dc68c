"""Run business-rule test cases laid out as in the EU business-rules test data.

Layout: ``<SET>/<RULE-ID>/rule.json`` plus ``<SET>/<RULE-ID>/tests/testNNN.json``, each
test ``{"name", "payload", "external", "expected"}``. The rule's logic is evaluated on
``{"payload": ..., "external": ...}`` and must give ``expected``. A malformed rule or
test file is reported as a failure of its own, never a crash: rule authors run this
before publishing (``vaxx rules test DIR``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import RuleSetError
from verifier.rules import MAX_RULE_FILE, Rule, load_rule

MAX_TEST_FILE = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RuleTestResult:
    rule: str
    test: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class RuleTestReport:
    results: tuple[RuleTestResult, ...]

    @property
    def passed(self) -> int:
        return sum(result.passed for result in self.results)

    @property
    def failed(self) -> tuple[RuleTestResult, ...]:
        return tuple(result for result in self.results if not result.passed)


def run_rule_tests(directories: Iterable[Path]) -> RuleTestReport:
    """Every test under every rule folder found in ``directories`` (searched recursively)."""
    results: list[RuleTestResult] = []
    for directory in directories:
        if not directory.is_dir():
            results.append(RuleTestResult(str(directory), "-", False, "not a directory"))
            continue
        for rule_file in sorted(directory.rglob("rule.json")):
            results.extend(_run_rule(rule_file))
    return RuleTestReport(tuple(results))


def _run_rule(rule_file: Path) -> Iterator[RuleTestResult]:
    name = rule_file.parent.name
    try:
        rule = load_rule(rule_file)
    except RuleSetError as exc:
        yield RuleTestResult(name, "rule.json", False, exc.detail)
        return
    for test_file in sorted((rule_file.parent / "tests").glob("*.json")):
        yield _run_test(rule, test_file)


def _run_test(rule: Rule, test_file: Path) -> RuleTestResult:
    try:
        if test_file.stat().st_size > MAX_TEST_FILE:
            raise ValueError(f"larger than {MAX_TEST_FILE} bytes")
        test = json.loads(test_file.read_bytes())
        expected = test["expected"]
        data = {"payload": test.get("payload"), "external": test.get("external", {})}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return RuleTestResult(rule.identifier, test_file.name, False, f"unreadable test: {exc}")
    label = f"{test_file.name} ({test.get('name', 'unnamed')})"
    actual = rule.passes(data)
    detail = "" if actual == expected else f"expected {expected}, rule gave {actual}"
    return RuleTestResult(rule.identifier, label, actual == expected, detail)


__all__ = ["MAX_RULE_FILE", "RuleTestReport", "RuleTestResult", "run_rule_tests"]
