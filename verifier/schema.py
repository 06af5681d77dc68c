"""Step 9: the DCC payload against the official JSON schema of its own release.

The payload's ``ver`` picks the schema release (the EU harness does the same: 1.0.x
payloads legitimately fail 1.3.x, e.g. two vaccination entries). Unknown or missing
versions are checked against the newest release. Before 1.3.0 the schema does not
itself demand exactly one of ``v``/``t``/``r`` with one entry, so that is checked here
for every release. Validators are compiled once per release with fastjsonschema
(PERFORMANCE.md: 0.26x a signature check, against 7x for jsonschema).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from verifier.errors import SchemaInvalid

RELEASES = ("1.0.0", "1.0.1", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.3.1", "1.3.2", "1.3.3")
_VERSION = re.compile(r"\d+\.\d+\.\d+")


@cache
def _validator(release: str) -> Callable[[Any], Any]:
    text = resources.files("verifier.data").joinpath(f"dcc-schema/{release}.json").read_text()
    schema = json.loads(text)
    schema.pop("$schema", None)
    return fastjsonschema.compile(schema, formats={"date-time": _always, "date": _always})


def _always(_value: str) -> bool:
    """Date formats are checked by the schema's own patterns, not a second parser."""
    return True


def release_for(payload: dict[str, Any]) -> str:
    version = payload.get("ver")
    if isinstance(version, str) and version in RELEASES:
        return version
    if isinstance(version, str) and _VERSION.fullmatch(version):
        older = [r for r in RELEASES if _key(r) <= _key(version)]
        return older[-1] if older else RELEASES[0]
    return RELEASES[-1]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def validate_dcc(payload: dict[str, Any]) -> str:
    """Validate; return the certificate type key (``v``, ``t`` or ``r``)."""
    try:
        _validator(release_for(payload))(payload)
    except fastjsonschema.JsonSchemaException as exc:
        raise SchemaInvalid(f"DCC payload does not match the schema: {exc}") from None
    present = [key for key in ("v", "t", "r") if payload.get(key) is not None]
    if len(present) != 1:
        raise SchemaInvalid("a DCC must hold exactly one of v, t, r")
    entries = payload[present[0]]
    # Releases before 1.3.0 allowed several entries (vector RO/2); never zero.
    most = 1 if _key(release_for(payload)) >= (1, 3, 0) else len(entries or ())
    if not isinstance(entries, list) or not 1 <= len(entries) <= most:
        raise SchemaInvalid(f"DCC {present[0]} must hold exactly one entry")
    return present[0]
