"""CertLogic behaviour the shared suite does not pin down: leap days, errors, bounds."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.certlogic import CertLogicError, Limits, evaluate, validate


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        ("2021-01-31", 1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-06-01T00:00:00+02:00", 2, "hour", "2021-06-01T00:00:00.000Z"),
        ("2021-06-01T00:00:00.9999-0130", 0, "day", "2021-06-01T01:30:00.999Z"),
        ("2004", 0, "day", "2004-12-31T00:00:00.000Z"),
        ("2004-02", 0, "day", "2004-02-29T00:00:00.000Z"),
    ],
    ids=[
        "leap-day",
        "leap-month",
        "leap-year",
        "month-overflow",
        "negative-month",
        "offset",
        "fraction-truncated",
        "partial-year",
        "partial-month",
    ],
)
def test_plus_time_follows_the_spec_table(
    start: str, amount: int, unit: str, expected: str
) -> None:
    result = evaluate({"plusTime": [start, amount, unit]}, None)
    assert result.isoformat() == expected


@pytest.mark.parametrize(
    ("expression", "data", "match"),
    [
        ({"all": [1]}, None, "unrecognised operator"),
        ({"+": [1, "2"]}, None, "integers"),
        ({"<": [1, "2"]}, None, "integers"),
        ({"after": ["2021-01-01", "2020-01-01"]}, None, "date-times"),
        ({"in": ["a", "abc"]}, None, "array"),
        ({"if": [{"plusTime": ["2021", 0, "day"]}, 1, 2]}, None, "neither truthy nor falsy"),
        ({"!": [{"plusTime": ["2021", 0, "day"]}]}, None, "neither truthy nor falsy"),
        ({"plusTime": ["yesterday", 0, "day"]}, None, "date"),
        ({"plusTime": ["2021-02-30", 0, "day"]}, None, "valid date"),
        ({"plusTime": ["9999-12-31", 1, "year"]}, None, "out of range"),
        ({"plusTime": [{"var": ""}, 0, "week"]}, "2021", "time unit"),
        ({"dccDateOfBirth": [{"var": "x"}]}, None, "dccDateOfBirth"),
        ({"extractFromUVCI": [42, 1]}, None, "string or null"),
        ({"reduce": ["abc", 1, 0]}, None, "array or null"),
        ({"var": 1}, None, "var"),
        ({"a": 1, "b": 2}, None, "exactly one key"),
        (None, None, "invalid CertLogic expression"),
        ({"+": [2**53 - 1, 1]}, None, "overflow"),
    ],
    ids=lambda value: str(value)[:30],
)
def test_errors_are_certlogic_errors(expression: Any, data: Any, match: str) -> None:
    with pytest.raises(CertLogicError, match=match):
        evaluate(expression, data)


def test_equality_is_strict_about_types() -> None:
    assert evaluate({"===": [1, True]}, None) is False
    assert evaluate({"===": [[1], [1]]}, None) is False
    assert evaluate({"in": [1, [True, 1]]}, None) is True
    assert evaluate({"in": [True, [1]]}, None) is False


def test_validator_rejects_unknown_operations_before_evaluation() -> None:
    issues = validate({"and": [{"var": "a"}, {"!==": [1, 2]}]})
    assert [issue.expr for issue in issues] == [{"!==": [1, 2]}]
    assert validate({"plusTime": [{"var": "d"}, 1.5, "fortnight"]}) != []
    assert validate({"extractFromUVCI": [{"var": "ci"}, "1"]}) != []


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    expression: Any = True
    for _ in range(10_000):
        expression = {"!": [expression]}
    with pytest.raises(CertLogicError, match="too deeply"):
        evaluate(expression, None)
    assert validate(expression)[0].message == "expression too deep or too large"


def test_work_is_bounded() -> None:
    count_up = {"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]}
    assert evaluate(count_up, {"xs": list(range(1000))}) == 1000
    with pytest.raises(CertLogicError, match="budget"):
        evaluate(count_up, {"xs": list(range(1000))}, Limits(max_steps=500))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=3)
    ),
    max_leaves=20,
)
operators = st.sampled_from(
    [
        "var",
        "if",
        "and",
        "!",
        "===",
        "in",
        "+",
        "<",
        "after",
        "plusTime",
        "reduce",
        "extractFromUVCI",
        "dccDateOfBirth",
        "nope",
    ]
)
expressions = st.recursive(
    json_values,
    lambda inner: st.builds(
        lambda op, args: {op: args}, operators, st.lists(inner, max_size=4) | inner
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(expression=expressions, data=json_values)
def test_hostile_expressions_only_raise_certlogic_errors(expression: Any, data: Any) -> None:
    with contextlib.suppress(CertLogicError):
        evaluate(expression, data)
    validate(expression)
