"""The runnable example in ``profiles.__doc__`` really runs."""

from __future__ import annotations

import doctest

import profiles


def test_package_docstring_example_runs() -> None:
    failures, attempted = doctest.testmod(profiles, raise_on_error=False)
    assert attempted >= 5
    assert failures == 0
