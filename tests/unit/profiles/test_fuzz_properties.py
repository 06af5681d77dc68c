"""Whatever JSON arrives, validation answers with an OperationOutcome: no exception from deep
inside a model, no crash on a wrong type; and whatever it accepts maps to a valid DCC.
Bounded (max_examples 80). (This test found two crashes: a list as ``resourceType`` and
as ``gender``.)"""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from profiles import (
    DccInvalid,
    ProfileInvalid,
    ProfilePolicy,
    errors_of,
    from_dcc,
    parse_bundle,
    to_dcc,
    validate,
)

TODAY = date(2021, 9, 15)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value``."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    value = copy.deepcopy(value)
    target = value
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return value


def _answers_cleanly(data: Any) -> None:
    outcome = validate(data, today=TODAY)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"]
    if errors_of(outcome):
        with pytest.raises(ProfileInvalid) as caught:
            parse_bundle(data, today=TODAY)
        assert caught.value.outcome == outcome
        return
    record = parse_bundle(data, today=TODAY)
    # A record that passed validation always maps to a schema-valid DCC.
    to_dcc(record, uvci="URN:UVCI:01:TW:ABCDEFGHIJ", issuer="CDC")


@settings(max_examples=80, deadline=None)
@given(json_values)
def test_arbitrary_json_gets_an_outcome(data: Any) -> None:
    _answers_cleanly(data)


def _example(name: str) -> dict[str, Any]:
    path = resources.files("profiles").joinpath("data", "examples", name)
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


EXAMPLES = [_example("vaccination-bundle.json"), _example("test-bundle.json")]


@settings(max_examples=80, deadline=None)
@given(data=st.data(), bundle=st.sampled_from(EXAMPLES), new=json_values)
def test_one_corrupted_element_gets_an_outcome(
    data: st.DataObject, bundle: dict[str, Any], new: Any
) -> None:
    path = data.draw(st.sampled_from(_paths(bundle)))
    _answers_cleanly(_replace(bundle, path, new))


PAYLOADS = [
    {
        "ver": "1.3.0",
        "nam": {"fn": "林", "fnt": "LIN", "gnt": "MEI<HUA"},
        "dob": "1988-01-01",
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1507",
                "ma": "ORG-100031184",
                "dn": 3,
                "sd": 3,
                "dt": "2022-01-10",
                "co": "TW",
                "is": "CDC",
                "ci": "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
            }
        ],
    },
    {
        "ver": "1.3.0",
        "nam": {"fnt": "LIN"},
        "dob": "1988",
        "t": [
            {
                "tg": "840539006",
                "tt": "LP6464-4",
                "sc": "2022-02-28T06:00:00Z",
                "tr": "260373001",
                "tc": "Hospital",
                "co": "TW",
                "is": "CDC",
                "ci": "URN:UVCI:01:TW:80ETUPYY602A0",
            }
        ],
    },
    {
        "ver": "1.3.0",
        "nam": {"gnt": "ANNA"},
        "dob": "",
        "r": [
            {
                "tg": "840539006",
                "fr": "2021-02-20",
                "co": "AT",
                "is": "BMSGPK",
                "df": "2021-04-04",
                "du": "2021-10-04",
                "ci": "URN:UVCI:01:AT:858CC18CFCF5965E",
            }
        ],
    },
]
dcc_strings = st.text(max_size=30) | st.from_regex(
    r"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](\.[0-9]{1,9})?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)",
    fullmatch=True,
)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), payload=st.sampled_from(PAYLOADS), new=json_values | dcc_strings)
def test_from_dcc_refuses_or_builds_valid_fhir(
    data: st.DataObject, payload: dict[str, Any], new: Any
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    path = data.draw(st.sampled_from(_paths(payload)))
    corrupted = _replace(payload, path, new)
    try:
        bundle = from_dcc(corrupted)
    except DccInvalid:
        return
    Bundle.model_validate(bundle)
    validate(bundle, today=TODAY, policy=ProfilePolicy.imported())
