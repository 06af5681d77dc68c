"""Defensive reads of raw FHIR JSON: wrong types read as absent, never as a crash.

Semantic checks run on the raw dicts (not only on the pydantic models) so one malformed
element does not hide the other problems of the same resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Json = Mapping[str, Any]


def obj(value: Any, key: str) -> Json | None:
    """``value[key]`` when it is a JSON object."""
    if isinstance(value, Mapping):
        found = value.get(key)
        if isinstance(found, Mapping):
            return found
    return None


def items(value: Any, key: str) -> list[Json]:
    """The JSON objects in the list ``value[key]`` (non-objects skipped)."""
    if isinstance(value, Mapping):
        found = value.get(key)
        if isinstance(found, list):
            return [v for v in found if isinstance(v, Mapping)]
    return []


def text(value: Any, key: str) -> str | None:
    """``value[key]`` when it is a non-blank string (stripped)."""
    if isinstance(value, Mapping):
        found = value.get(key)
        if isinstance(found, str) and found.strip():
            return found.strip()
    return None


def strings(value: Any, key: str) -> list[str]:
    if isinstance(value, Mapping):
        found = value.get(key)
        if isinstance(found, list):
            return [v for v in found if isinstance(v, str) and v.strip()]
    return []


def integer(value: Any, key: str) -> int | None:
    if isinstance(value, Mapping):
        found = value.get(key)
        if isinstance(found, int) and not isinstance(found, bool):
            return found
    return None


def codings(concept: Json | None) -> list[tuple[str | None, str]]:
    """(system, code) pairs of a CodeableConcept."""
    return [
        (text(c, "system"), code) for c in items(concept, "coding") if (code := text(c, "code"))
    ]


def code_in(concept: Json | None, system: str) -> str | None:
    """The first code of ``concept`` in ``system``."""
    for coding_system, code in codings(concept):
        if coding_system == system:
            return code
    return None
