"""The CertLogic evaluator (specification 1.3.2), bounded in depth, size and work.

Each operation checks its own form before it evaluates operands, so a malformed
expression fails with :class:`CertLogicError` even if :func:`validate` was skipped.
Type mismatches found after evaluating operands raise the same error; nothing else
ever escapes (the callers turn it into "rule failed").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from verifier.certlogic import _dates
from verifier.certlogic._dates import DateTime
from verifier.certlogic._values import is_falsy, is_int, is_truthy, strict_equals
from verifier.errors import CertLogicError

_UVCI_SEPARATORS = re.compile(r"[/#:]")
_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "before": lambda a, b: a < b,
    "after": lambda a, b: a > b,
    "not-after": lambda a, b: a <= b,
    "not-before": lambda a, b: a >= b,
}
_DATE_COMPARISONS = frozenset({"before", "after", "not-after", "not-before"})


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile rule or payload from exhausting the verifier."""

    max_depth: int = 64
    max_steps: int = 200_000


DEFAULT_LIMITS = Limits()


def evaluate(expression: Any, data: Any, limits: Limits = DEFAULT_LIMITS) -> Any:
    """Evaluate ``expression`` against the data context ``data``.

    >>> evaluate({"if": [{"var": "a"}, "yes", "no"]}, {"a": 1})
    'yes'
    """
    return _Evaluator(limits).run(expression, data, 0)


class _Evaluator:
    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._steps = 0

    def run(self, expr: Any, data: Any, depth: int) -> Any:
        self._steps += 1
        if depth > self._limits.max_depth:
            raise CertLogicError("expression nested too deeply")
        if self._steps > self._limits.max_steps:
            raise CertLogicError("evaluation exceeded its step budget")
        if isinstance(expr, str | bool) or is_int(expr):
            return expr
        if isinstance(expr, list):
            return [self.run(item, data, depth + 1) for item in expr]
        if isinstance(expr, dict):
            return self._operation(expr, data, depth + 1)
        raise CertLogicError(f"invalid CertLogic expression: {str(expr)[:40]}")

    def _operation(self, expr: dict[str, Any], data: Any, depth: int) -> Any:
        if len(expr) != 1:
            raise CertLogicError("an expression object must have exactly one key")
        ((operator, operands),) = expr.items()
        if operator == "var":
            return _var(operands, data)
        if not isinstance(operands, list) or not operands:
            raise CertLogicError(f"operation {operator!r} needs a non-empty operand array")
        handler = _HANDLERS.get(operator)
        if handler is None:
            raise CertLogicError(f"unrecognised operator: {operator[:40]!r}")
        return handler(self, operator, operands, data, depth)

    def _if(self, _op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(_op, operands, 3, 3)
        guard = self.run(operands[0], data, depth)
        if is_truthy(guard):
            return self.run(operands[1], data, depth)
        if is_falsy(guard):
            return self.run(operands[2], data, depth)
        raise CertLogicError("if-guard is neither truthy nor falsy")

    def _and(self, _op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(_op, operands, 2, None)
        result: Any = True
        for operand in operands:
            result = self.run(operand, data, depth)
            if is_falsy(result):
                return result
            if not is_truthy(result):
                raise CertLogicError("an 'and' operand is neither truthy nor falsy")
        return result

    def _not(self, _op: str, operands: list[Any], data: Any, depth: int) -> bool:
        _arity(_op, operands, 1, 1)
        value = self.run(operands[0], data, depth)
        if is_falsy(value):
            return True
        if is_truthy(value):
            return False
        raise CertLogicError("the operand of '!' is neither truthy nor falsy")

    def _binary(self, op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(op, operands, 2, 2)
        left, right = (self.run(operand, data, depth) for operand in operands)
        if op == "===":
            return strict_equals(left, right)
        if op == "in":
            if not isinstance(right, list):
                raise CertLogicError("the right-hand side of 'in' must be an array")
            return any(strict_equals(left, item) for item in right)
        if not (is_int(left) and is_int(right)):
            raise CertLogicError("the operands of '+' must be integers")
        total = int(left) + int(right)
        if not is_int(total):
            raise CertLogicError("integer overflow in '+'")
        return total

    def _compare(self, op: str, operands: list[Any], data: Any, depth: int) -> bool:
        _arity(op, operands, 2, 3)
        values = [self.run(operand, data, depth) for operand in operands]
        dates = op in _DATE_COMPARISONS
        if not all(isinstance(v, DateTime) if dates else is_int(v) for v in values):
            kind = "date-times" if dates else "integers"
            raise CertLogicError(f"all operands of {op!r} must be {kind}")
        compare = _COMPARISONS[op]
        return all(compare(a, b) for a, b in itertools.pairwise(values))

    def _plus_time(self, op: str, operands: list[Any], data: Any, depth: int) -> DateTime:
        _arity(op, operands, 3, 3)
        _, amount, unit = operands
        if not is_int(amount) or not _dates.is_unit(unit):
            raise CertLogicError("plusTime needs an integer amount and a time unit")
        text = self.run(operands[0], data, depth)
        if not isinstance(text, str):
            raise CertLogicError("plusTime's first operand must evaluate to a string")
        return _dates.plus(_dates.parse(text), int(amount), unit)

    def _dcc_date_of_birth(self, op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(op, operands, 1, 1)
        text = self.run(operands[0], data, depth)
        if not isinstance(text, str) or len(text) not in (4, 7, 10):
            raise CertLogicError("dccDateOfBirth needs a YYYY, YYYY-MM or YYYY-MM-DD string")
        return _dates.parse(text)

    def _reduce(self, op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(op, operands, 3, 3)
        items = self.run(operands[0], data, depth)
        accumulator = self.run(operands[2], data, depth)
        if items is None:
            return accumulator
        if not isinstance(items, list):
            raise CertLogicError("reduce's operand must evaluate to an array or null")
        for item in items:
            context = {"current": item, "accumulator": accumulator}
            accumulator = self.run(operands[1], context, depth)
        return accumulator

    def _extract_from_uvci(self, op: str, operands: list[Any], data: Any, depth: int) -> Any:
        _arity(op, operands, 2, 2)
        index = operands[1]
        if not is_int(index):
            raise CertLogicError("extractFromUVCI's index must be an integer")
        uvci = self.run(operands[0], data, depth)
        if uvci is None:
            return None
        if not isinstance(uvci, str):
            raise CertLogicError("extractFromUVCI's operand must be a string or null")
        fragments = _UVCI_SEPARATORS.split(uvci.removeprefix("URN:UVCI:"))
        return fragments[int(index)] if 0 <= index < len(fragments) else None


def _arity(op: str, operands: list[Any], low: int, high: int | None) -> None:
    if len(operands) < low or (high is not None and len(operands) > high):
        expected = f"{low}" if low == high else f"{low}..{high or 'n'}"
        raise CertLogicError(f"operation {op!r} takes {expected} operands, got {len(operands)}")


def _var(path: Any, data: Any) -> Any:
    if not isinstance(path, str):
        raise CertLogicError('not of the form { "var": "<path>" }')
    if path == "":
        return data
    value = data
    for fragment in path.split("."):
        if isinstance(value, dict):
            value = value.get(fragment)
        elif isinstance(value, list) and _is_index(fragment) and int(fragment) < len(value):
            value = value[int(fragment)]
        else:
            return None
    return value


_HANDLERS: dict[str, Callable[[_Evaluator, str, list[Any], Any, int], Any]] = {
    "if": _Evaluator._if,
    "and": _Evaluator._and,
    "!": _Evaluator._not,
    "===": _Evaluator._binary,
    "in": _Evaluator._binary,
    "+": _Evaluator._binary,
    "plusTime": _Evaluator._plus_time,
    "dccDateOfBirth": _Evaluator._dcc_date_of_birth,
    "reduce": _Evaluator._reduce,
    "extractFromUVCI": _Evaluator._extract_from_uvci,
    **dict.fromkeys(_COMPARISONS, _Evaluator._compare),
}


def _is_index(fragment: str) -> bool:
    return fragment.isascii() and fragment.isdigit()
