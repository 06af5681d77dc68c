"""Static validation of CertLogic expressions: reject what the evaluator would refuse.

Rules are validated when they are loaded, before any certificate is evaluated, so an
unknown operation or a malformed operand list is reported to the rule author instead
of silently failing every holder. The issue messages follow the reference validator
(``certlogic-js/validation``) so they read the same to rule authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from verifier.certlogic import _dates
from verifier.certlogic._values import is_int

_PATH = re.compile(r"[^.]+(\.[^.]+)*")
_ARITY: dict[str, tuple[int, int | None]] = {
    "if": (3, 3),
    "and": (2, None),
    "!": (1, 1),
    "===": (2, 2),
    "in": (2, 2),
    "+": (2, 2),
    "plusTime": (3, 3),
    "dccDateOfBirth": (1, 1),
    "reduce": (3, 3),
    "extractFromUVCI": (2, 2),
    **dict.fromkeys(("<", ">", "<=", ">=", "before", "after", "not-after", "not-before"), (2, 3)),
}
MAX_DEPTH = 64
MAX_NODES = 20_000


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in an expression: the offending sub-expression and what is wrong."""

    expr: Any
    message: str


def validate(expression: Any) -> list[Issue]:
    """Every issue in ``expression``; an empty list means it is valid CertLogic.

    >>> validate({"all": []})
    [Issue(expr={'all': []}, message='unrecognised operator: "all"')]
    """
    counter = [0]
    return list(_issues(expression, 0, counter))


def _issues(expr: Any, depth: int, counter: list[int]) -> Iterator[Issue]:
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_NODES:
        yield Issue(expr, "expression too deep or too large")
        return
    if isinstance(expr, str | bool) or is_int(expr):
        return
    if isinstance(expr, float):
        yield Issue(expr, f"{expr} is a non-integer number")
    elif isinstance(expr, list):
        for item in expr:
            yield from _issues(item, depth + 1, counter)
    elif isinstance(expr, dict):
        yield from _operation_issues(expr, depth + 1, counter)
    else:
        yield Issue(expr, "invalid CertLogic expression")


def _operation_issues(expr: dict[str, Any], depth: int, counter: list[int]) -> Iterator[Issue]:
    if len(expr) != 1:
        yield Issue(expr, f"expression object must have exactly one key, but it has {len(expr)}")
        return
    ((operator, operands),) = expr.items()
    if operator == "var":
        yield from _var_issues(expr, operands)
        return
    if not isinstance(operands, list):
        yield Issue(expr, 'operation not of the form { "<operator>": [ <values...> ] }')
        return
    if operator not in _ARITY:
        yield Issue(expr, f'unrecognised operator: "{operator}"')
        return
    low, high = _ARITY[operator]
    if len(operands) < low or (high is not None and len(operands) > high):
        yield Issue(expr, f'an operation with operator "{operator}" has the wrong arity')
        return
    yield from _special_operand_issues(expr, operator, operands)
    for operand in _evaluated_operands(operator, operands):
        yield from _issues(operand, depth, counter)


def _var_issues(expr: dict[str, Any], path: Any) -> Iterator[Issue]:
    if not isinstance(path, str):
        yield Issue(expr, 'not of the form { "var": "<path>" }')
    elif path and _PATH.fullmatch(path) is None:
        yield Issue(expr, f"data access path doesn't have a valid format: {path}")


def _special_operand_issues(
    expr: dict[str, Any], operator: str, operands: list[Any]
) -> Iterator[Issue]:
    if operator == "plusTime":
        if not is_int(operands[1]):
            yield Issue(expr, '"amount" argument (#2) of "plusTime" must be an integer')
        if not _dates.is_unit(operands[2]):
            yield Issue(expr, '"unit" argument (#3) of "plusTime" must be a time unit')
    elif operator == "extractFromUVCI" and not is_int(operands[1]):
        yield Issue(expr, '"index" argument (#2) of "extractFromUVCI" must be an integer')


def _evaluated_operands(operator: str, operands: list[Any]) -> list[Any]:
    """The operands that are themselves expressions (not literal parameters)."""
    if operator in ("plusTime", "extractFromUVCI"):
        return operands[:1]
    return operands
