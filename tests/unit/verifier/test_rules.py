"""Choosing and evaluating business rules; fail-closed behaviour."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from verifier.errors import RuleFailed, RuleSetError, RulesUnavailable
from verifier.rule_tests import run_rule_tests
from verifier.rules import EXAMPLE_RULE, External, Rule, RuleSet

NOW = datetime(2026, 1, 1, tzinfo=UTC)
COMPLETE = {"v": [{"dn": 2, "sd": 2}]}
INCOMPLETE = {"v": [{"dn": 1, "sd": 2}]}


def rule(**changes: Any) -> Rule:
    data = copy.deepcopy(EXAMPLE_RULE)
    data.update(changes)
    return Rule.from_json(data)


def test_rule_passes_and_fails_on_payload() -> None:
    rules = RuleSet((rule(),))
    assert rules.evaluate(COMPLETE, External.at(NOW, "XX"), "v").passed
    report = rules.evaluate(INCOMPLETE, External.at(NOW, "XX"), "v")
    assert not report.passed
    assert [outcome.identifier for outcome in report.failed] == ["VR-XX-0001"]
    with pytest.raises(RuleFailed, match="VR-XX-0001"):
        rules.check(INCOMPLETE, External.at(NOW, "XX"), "v")


@pytest.mark.parametrize(
    ("changes", "country", "type_key"),
    [
        ({}, "YY", "v"),
        ({}, "XX", "t"),
        ({"ValidFrom": "2026-01-02T00:00:00Z"}, "XX", "v"),
        ({"ValidTo": "2026-01-01T00:00:00Z"}, "XX", "v"),
        ({"EngineVersion": "2.0.0"}, "XX", "v"),
        ({"Type": "Invalidation"}, "XX", "v"),
    ],
    ids=[
        "other-country",
        "other-type",
        "not-yet-valid",
        "expired-at-valid-to",
        "newer-engine",
        "invalidation",
    ],
)
def test_rules_that_do_not_apply_leave_an_empty_set_that_fails_closed(
    changes: dict[str, Any], country: str, type_key: str
) -> None:
    rules = RuleSet((rule(**changes),))
    with pytest.raises(RulesUnavailable, match="fail closed"):
        rules.evaluate(COMPLETE, External.at(NOW, country), type_key)
    unsafe = RuleSet(rules.rules, unsafe_allow_empty=True)
    assert unsafe.evaluate(COMPLETE, External.at(NOW, country), type_key).outcomes == ()


def test_general_rules_apply_to_every_type_and_newest_version_wins() -> None:
    always_false = {"===": [1, 2]}
    old = rule(
        Identifier="GR-XX-0001", CertificateType="General", Version="1.0.0", Logic=always_false
    )
    new = rule(
        Identifier="GR-XX-0001", CertificateType="General", Version="1.10.0", Logic={"===": [1, 1]}
    )
    rules = RuleSet((new, old))
    report = rules.evaluate({"t": [{}]}, External.at(NOW, "XX"), "t")
    assert [(o.identifier, o.version, o.passed) for o in report.outcomes] == [
        ("GR-XX-0001", "1.10.0", True)
    ]


def test_an_evaluation_error_fails_the_rule() -> None:
    broken = rule(Logic={"+": [{"var": "payload.v.0.dn"}, "x"]})
    assert not RuleSet((broken,)).evaluate(COMPLETE, External.at(NOW, "XX"), "v").passed


def test_external_parameter_reaches_the_logic() -> None:
    by_country = rule(Logic={"===": [{"var": "external.countryCode"}, "XX"]})
    external = External(validation_clock=NOW, country_code="XX", kid="abc")
    assert external.as_data()["kid"] == "abc"
    assert RuleSet((by_country,)).evaluate(COMPLETE, external, "v").passed


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"Identifier": "VR-XX-1"}, "Identifier"),
        ({"Logic": {"!==": [1, 2]}}, "unrecognised operator"),
        ({"Logic": {"if": [1, 2]}}, "arity"),
        ({"ValidFrom": "yesterday"}, "ValidFrom"),
    ],
    ids=["bad-identifier", "unknown-operator", "bad-arity", "bad-date"],
)
def test_malformed_rules_are_rule_set_errors(changes: dict[str, Any], match: str) -> None:
    with pytest.raises(RuleSetError, match=match):
        rule(**changes)


def write_rule(root: Path, data: Any, tests: list[Any]) -> None:
    folder = root / "XX" / "VR-XX-0001"
    (folder / "tests").mkdir(parents=True)
    (folder / "rule.json").write_text(data if isinstance(data, str) else json.dumps(data))
    for number, test in enumerate(tests, 1):
        (folder / "tests" / f"test{number:03}.json").write_text(json.dumps(test))


def test_rule_test_runner_reports_failures_and_broken_files(tmp_path: Path) -> None:
    write_rule(
        tmp_path / "good",
        EXAMPLE_RULE,
        [
            {"name": "complete", "payload": COMPLETE, "external": {}, "expected": True},
            {"name": "wrong expectation", "payload": INCOMPLETE, "external": {}, "expected": True},
            {"name": "no payload", "external": {}, "expected": True},
        ],
    )
    write_rule(tmp_path / "broken", "{not json", [])
    report = run_rule_tests([tmp_path / "good", tmp_path / "broken", tmp_path / "missing"])
    assert report.passed == 2
    assert [(r.rule, r.test.split(" ")[0]) for r in report.failed] == [
        ("VR-XX-0001", "test002.json"),
        ("VR-XX-0001", "rule.json"),
        (str(tmp_path / "missing"), "-"),
    ]
