"""Fixtures: the two Bundles clinics send (copies shipped as package data, checked equal to
``../shared/examples`` in test_examples.py)."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest


def _example(name: str) -> dict[str, Any]:
    path = resources.files("profiles").joinpath("data", "examples", name)
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


@pytest.fixture
def vaccination_bundle() -> dict[str, Any]:
    return copy.deepcopy(_example("vaccination-bundle.json"))


@pytest.fixture
def test_bundle() -> dict[str, Any]:
    return copy.deepcopy(_example("test-bundle.json"))
