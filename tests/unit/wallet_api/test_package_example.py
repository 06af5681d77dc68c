"""The example in the package docstring runs as written."""

import doctest

import wallet_api


def test_package_docstring_example_runs() -> None:
    result = doctest.testmod(wallet_api, verbose=False)
    assert result.attempted >= 10
    assert result.failed == 0
