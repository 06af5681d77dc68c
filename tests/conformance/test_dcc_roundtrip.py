"""DCC -> FHIR -> DCC over the EU test vectors (../shared/conformance/dcc-testdata).

For every vector whose ``JSON`` payload the DCC schema 1.3.3 and the EU value sets accept:
``from_dcc`` builds a Taiwan IG Bundle, ``parse_bundle`` validates every resource in it
(``ProfilePolicy.imported()``: the DCC carries no national ID, gender, lot number...), and
``to_dcc`` must give the same payload back, up to these normalisations (applied to both sides):

1. ``ver`` becomes ``1.3.0``: vaxx writes schema 1.3.x; older payloads that pass the 1.3.3
   schema carry the same data.
2. Keys the 1.3 schema does not define are dropped (``dr``, the test result date removed in
   1.3.0; Singapore's ``meta``): they have no place in the FHIR record and no meaning in 1.3.
3. Empty strings are dropped (``"ma": ""``, ``"gn": ""``): FHIR has no empty strings, and an
   empty optional field says nothing.
4. An unknown month or day written ``00`` (``1963-00``) becomes a partial date (``1963``), the
   way FHIR (and the 1.3 spec) say "unknown".
5. ``sc`` is compared as an instant: FHIR dateTime cannot hold the DCC's ``+hh`` or ``+hhmm``
   offsets, so the time is re-written as ``+hh:mm`` / ``Z``.

Vectors that expect a failure (an ``EXPECTED*`` flag ``false``) are still run; when
``profiles`` rejects their content the test records that, and when it accepts it (their defect
is in the signature or key usage) they must round-trip like the others.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from profiles import (
    DccInvalid,
    ProfileInvalid,
    ProfilePolicy,
    errors_of,
    from_dcc,
    parse_bundle,
    to_dcc,
    validate,
    validate_dcc,
)
from profiles.from_dcc import fhir_birth_date

TODAY = date(2030, 1, 1)
GROUPS = {"v": "vaccination_entry", "t": "test_entry", "r": "recovery_entry"}


@cache
def _schema_keys() -> dict[str, frozenset[str]]:
    path = resources.files("profiles").joinpath("data", "schema", "DCC.combined-schema.json")
    schema = json.loads(path.read_text("utf-8"))
    keys = {
        "": frozenset(schema["properties"]),
        "nam": frozenset(schema["$defs"]["person_name"]["properties"]),
    }
    for group, definition in GROUPS.items():
        keys[group] = frozenset(schema["$defs"][definition]["properties"])
    return keys


def _instant(value: str) -> str:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).isoformat()


def normalise(payload: dict[str, Any]) -> dict[str, Any]:
    """The five normalisations of the module docstring."""
    keys = _schema_keys()
    out = {k: copy.deepcopy(v) for k, v in payload.items() if k in keys[""]}
    out["ver"] = "1.3.0"
    out["nam"] = {k: v for k, v in out["nam"].items() if k in keys["nam"] and v != ""}
    if out.get("dob"):
        out["dob"] = fhir_birth_date(out["dob"])
    for group in GROUPS:
        if group in out:
            entry = {k: v for k, v in out[group][0].items() if k in keys[group] and v != ""}
            if "sc" in entry:
                entry["sc"] = _instant(entry["sc"])
            out[group] = [entry]
    return out


def _vectors(shared_dir: Path) -> list[Path]:
    return sorted((shared_dir / "conformance" / "dcc-testdata").rglob("*.json"))


def test_every_schema_valid_vector_round_trips(shared_dir: Path) -> None:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for path in _vectors(shared_dir):
        counts["seen"] += 1
        outcome = _round_trip(path)
        counts[outcome[0]] += 1
        if outcome[0] == "FAILED":
            failures.append(f"{path}: {outcome[1]}")
    print("\nDCC round trip over dcc-testdata:", dict(sorted(counts.items())))
    assert counts["round-tripped"] >= 150
    assert not failures, "\n".join(failures)


def _round_trip(path: Path) -> tuple[str, str]:
    vector = json.loads(path.read_text("utf-8"))
    payload = vector.get("JSON")
    if not isinstance(payload, dict):
        return "skipped: no JSON payload in the vector", ""
    negative = any(v is False for v in vector.get("EXPECTEDRESULTS", {}).values())
    try:
        validate_dcc(payload)
    except DccInvalid as exc:
        reason = "value sets" if "value set" in exc.detail else "schema 1.3.3"
        return f"skipped: payload rejected by the DCC {reason}", ""
    bundle = from_dcc(payload)
    Bundle.model_validate(bundle)  # the whole Bundle is valid FHIR R4B, not just each entry
    try:
        record = parse_bundle(bundle, today=TODAY, policy=ProfilePolicy.imported())
    except ProfileInvalid as exc:
        if negative:
            return "negative vector, content rejected by profiles", ""
        return "FAILED", f"produced FHIR does not validate: {errors_of(exc.outcome)}"
    if errors_of(validate(bundle, today=TODAY, policy=ProfilePolicy.imported())):
        return "FAILED", "validate() disagrees with parse_bundle()"
    assert record.uvci is not None
    assert record.issuer is not None
    again = to_dcc(record, uvci=record.uvci, issuer=record.issuer)
    if normalise(again) != normalise(payload):
        return "FAILED", f"{normalise(payload)} != {normalise(again)}"
    return "round-tripped", ""


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        ("ver", {"ver": "1.0.0"}, {"ver": "1.3.0"}),
        ("dr dropped", {"t": [{"dr": "2021-01-01T00:00:00Z", "tt": "x"}]}, {"t": [{"tt": "x"}]}),
        ("empty ma dropped", {"t": [{"ma": "", "tt": "x"}]}, {"t": [{"tt": "x"}]}),
        ("dob 00", {"dob": "1963-00"}, {"dob": "1963"}),
        (
            "sc instant",
            {"t": [{"sc": "2021-05-03T12:27:15+0200"}]},
            {"t": [{"sc": "2021-05-03T10:27:15+00:00"}]},
        ),
    ],
)
def test_normalisation_does_only_what_it_says(
    name: str, payload: dict[str, Any], expected: dict[str, Any]
) -> None:
    base = {"ver": "1.3.0", "nam": {"fnt": "A"}}
    assert normalise({**base, **payload}) == {**base, **expected}, name


def test_round_trip_check_catches_a_changed_field(shared_dir: Path) -> None:
    """Guards the guard: a payload that differs in one field must not compare equal."""
    path = shared_dir / "conformance" / "dcc-testdata" / "AT" / "2DCode" / "raw" / "1.json"
    payload = json.loads(path.read_text("utf-8"))["JSON"]
    changed = copy.deepcopy(payload)
    changed["v"][0]["dn"] += 1
    assert normalise(changed) != normalise(payload)


@pytest.mark.parametrize("sample", ["VAC", "TEST"])
def test_taiwan_samples_round_trip(shared_dir: Path, sample: str) -> None:
    """Taiwan's own signed test-environment payloads (a 3/3 Moderna booster, a positive PCR
    with Taiwan's non-standard ``rd`` report date, dropped by normalisation 2)."""
    path = shared_dir / "standards" / "taiwan-ig" / "tw-dcc-samples" / f"{sample}.decoded.json"
    payload = json.loads(path.read_text("utf-8"))["cwt_claims"]["-260"]["1"]
    assert _round_trip_payload(payload) == normalise(payload)


def _round_trip_payload(payload: dict[str, Any]) -> dict[str, Any]:
    record = parse_bundle(from_dcc(payload), today=TODAY, policy=ProfilePolicy.imported())
    assert record.uvci is not None
    assert record.issuer is not None
    return normalise(to_dcc(record, uvci=record.uvci, issuer=record.issuer))
