"""The JSON depth scan that guards the parser."""

import json

import pytest

from vaxx.middleware import json_depth_exceeds


@pytest.mark.parametrize(
    ("document", "limit", "exceeds"),
    [
        pytest.param({"a": [1, {"b": 2}]}, 3, False, id="exactly-at-limit"),
        pytest.param({"a": [1, {"b": 2}]}, 2, True, id="one-over"),
        pytest.param({"s": "[[[[[[[[[[{{{{{{{{"}, 1, False, id="brackets-inside-strings-ignored"),
        pytest.param({"s": 'quote \\" then [[[['}, 1, False, id="escaped-quote-in-string"),
        pytest.param([], 1, False, id="empty-array"),
        pytest.param(5, 0, False, id="scalar"),
    ],
)
def test_depth(document: object, limit: int, exceeds: bool) -> None:
    assert json_depth_exceeds(json.dumps(document).encode(), limit) is exceeds


def test_deep_nesting_detected_without_parsing() -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    assert json_depth_exceeds(body, 64)
