"""The clinic examples from ../shared are accepted exactly as they are."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from profiles import CertificateKind, parse_bundle, to_dcc, validate, validate_dcc

ISSUER = "Centers for Disease Control, Ministry of Health and Welfare"
UVCI = "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X"


@pytest.mark.parametrize(
    ("shared_name", "package_name"),
    [
        ("issue-vaccination-request.json", "vaccination-bundle.json"),
        ("issue-test-request.json", "test-bundle.json"),
    ],
)
def test_packaged_examples_equal_the_shared_ones(
    shared_dir: Path, shared_name: str, package_name: str
) -> None:
    shared = json.loads((shared_dir / "examples" / shared_name).read_text("utf-8"))
    packaged = Path(__file__).resolve().parents[3] / "profiles" / "data" / "examples"
    assert json.loads((packaged / package_name).read_text("utf-8")) == shared


def test_vaccination_example_maps_to_the_expected_dcc(vaccination_bundle: dict[str, Any]) -> None:
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 2))
    assert record.kind is CertificateKind.VACCINATION
    assert record.bundle == vaccination_bundle
    assert record.patient.birthDate is not None
    payload = to_dcc(record, uvci=UVCI, issuer=ISSUER)
    assert payload == {
        "ver": "1.3.0",
        "nam": {"fn": "陳", "gn": "小明", "fnt": "CHEN", "gnt": "HSIAO<MING"},
        "dob": "1985-03-14",
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": 2,
                "sd": 2,
                "dt": "2021-08-02",
                "co": "TW",
                "is": ISSUER,
                "ci": UVCI,
            }
        ],
    }
    validate_dcc(payload)


def test_test_example_maps_to_the_expected_dcc(test_bundle: dict[str, Any]) -> None:
    record = parse_bundle(test_bundle, today=date(2021, 9, 14))
    assert record.kind is CertificateKind.TEST
    payload = to_dcc(record, uvci=UVCI, issuer=ISSUER)
    assert payload["t"] == [
        {
            "tg": "840539006",
            "tt": "LP6464-4",
            "sc": "2021-09-13T09:10:00+08:00",
            "tr": "260415000",
            "tc": "國立臺灣大學醫學院附設醫院",
            "co": "TW",
            "is": ISSUER,
            "ci": UVCI,
        }
    ]


def test_valid_example_outcome_is_a_single_information_issue(
    vaccination_bundle: dict[str, Any],
) -> None:
    outcome = validate(vaccination_bundle, today=date(2021, 8, 2))
    assert outcome["resourceType"] == "OperationOutcome"
    assert [i["severity"] for i in outcome["issue"]] == ["information"]


def test_record_bundle_is_a_copy_the_caller_cannot_change(
    vaccination_bundle: dict[str, Any],
) -> None:
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 2))
    vaccination_bundle["entry"][0]["resource"]["birthDate"] = "1999-01-01"
    assert record.bundle["entry"][0]["resource"]["birthDate"] == "1985-03-14"
