"""CertLogic's value semantics: truthiness (three-valued) and strict equality.

CertLogic narrows JsonLogic's truthiness so that every platform agrees: ``false``,
``null``, ``""``, ``0``, ``[]`` and ``{}`` are falsy; ``true``, non-empty strings,
non-zero integers, non-empty arrays and objects are truthy; anything else (a
date-time, a fraction) is neither, and an operation that needs one of the two fails.
"""

from __future__ import annotations

from typing import Any

from verifier.certlogic._dates import DateTime

MAX_SAFE_INTEGER = 2**53 - 1


def is_int(value: Any) -> bool:
    """An integer in the JSON sense: not a boolean, and exact in a JavaScript number."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER
    return isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER


def is_truthy(value: Any) -> bool:
    if value is True:
        return True
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return is_int(value) and value != 0


def is_falsy(value: Any) -> bool:
    if value is False or value is None:
        return True
    if isinstance(value, str | list | dict):
        return len(value) == 0
    return is_int(value) and value == 0


def strict_equals(left: Any, right: Any) -> bool:
    """JavaScript ``===``: primitives by type and value, anything else by identity."""
    if left is None or right is None:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, DateTime | list | dict):
        return left is right
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
