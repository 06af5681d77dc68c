"""CertLogic specification test suites (../shared/conformance/certlogic/specification).

Evaluator suites: every assertion not marked ``"directive": "skip"`` upstream must give
the expected value (deep equality). The upstream skips are the only skips: four
``ins-with-nulls`` assertions (``in`` on a null right-hand side, which the spec calls an
error) and ``patched-reduce.json`` (a JsonLogic patch giving ``reduce`` access to the
outer data, which CertLogic 1.3.2 only says it *may* add). Validator suites: the list
of issues must name the same offending sub-expressions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from verifier.certlogic import evaluate, validate

SPEC = Path(__file__).resolve().parents[2].parent / "shared/conformance/certlogic/specification"
EXPECTED_ASSERTIONS = 232


def _assertions() -> list[tuple[str, Any, Any, Any, str | None]]:
    """(id, expression, data, expected, skip reason) for every evaluator assertion."""
    rows = []
    for path in sorted((SPEC / "testSuite").glob("*.json")):
        suite = json.loads(path.read_text())
        for case in suite["cases"]:
            for number, assertion in enumerate(case["assertions"]):
                skipped = "skip" in (
                    suite.get("directive"),
                    case.get("directive"),
                    assertion.get("directive"),
                )
                rows.append(
                    (
                        f"{path.stem}:{case['name']}:{number}",
                        assertion.get("certLogicExpression", case.get("certLogicExpression")),
                        assertion.get("data"),
                        assertion["expected"],
                        "marked skip upstream" if skipped else None,
                    )
                )
    return rows


def _validation_cases() -> list[tuple[str, Any, list[Any]]]:
    rows = []
    for path in sorted((SPEC / "validation-testSuite").glob("*.json")):
        for number, case in enumerate(json.loads(path.read_text())["cases"]):
            name = f"{path.stem}:{case.get('name', number)}"
            rows.append((name, case["certLogicExpression"], case["issues"]))
    return rows


@pytest.fixture(scope="module")
def spec(shared_dir: Path) -> Path:
    assert SPEC.is_dir()
    return SPEC


def test_certlogic_evaluator_suite(spec: Path) -> None:
    rows = _assertions()
    assert len(rows) == EXPECTED_ASSERTIONS
    passed, skipped, failures = 0, [], []
    for name, expression, data, expected, skip in rows:
        if skip:
            skipped.append((name, skip))
            continue
        actual = evaluate(expression, data)
        if actual == expected and type(actual) is type(expected):
            passed += 1
        else:
            failures.append(f"{name}: expected {expected!r}, got {actual!r}")
    print(f"\nCertLogic evaluator: {passed} passed, {len(failures)} failed, {len(skipped)} skipped")
    for name, reason in skipped:
        print(f"  skipped {name}: {reason}")
    assert not failures, "\n".join(failures)
    assert passed + len(skipped) == EXPECTED_ASSERTIONS


def test_certlogic_validator_suite(spec: Path) -> None:
    rows = _validation_cases()
    failures = []
    for name, expression, issues in rows:
        found = [issue.expr for issue in validate(expression)]
        if found != [issue["expr"] for issue in issues]:
            failures.append(f"{name}: expected {issues!r}, got {found!r}")
    print(f"\nCertLogic validator: {len(rows) - len(failures)} passed, {len(failures)} failed")
    assert rows
    assert not failures, "\n".join(failures)
