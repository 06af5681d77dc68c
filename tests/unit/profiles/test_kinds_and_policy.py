"""Test results, recovery, the NAAT-only policy, boosters, Taiwan CDC codes, value sets."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from profiles import (
    CertificateKind,
    DccInvalid,
    ProfileInvalid,
    ProfilePolicy,
    display_name,
    errors_of,
    parse_bundle,
    to_dcc,
    validate,
    validate_dcc,
)
from profiles import record as records

Bundle = dict[str, Any]
UVCI = "URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X"
ISSUER = "Centers for Disease Control, Ministry of Health and Welfare"
RAT = {"coding": [{"system": "http://loinc.org", "code": "LP217198-3"}]}
POSITIVE = {"coding": [{"system": "http://snomed.info/sct", "code": "260373001"}]}


def _obs(b: Bundle) -> dict[str, Any]:
    resource: dict[str, Any] = b["entry"][2]["resource"]
    return resource


def _imm(b: Bundle) -> dict[str, Any]:
    resource: dict[str, Any] = b["entry"][3]["resource"]
    return resource


def test_rapid_antigen_is_a_validation_error_under_the_taiwan_policy(test_bundle: Bundle) -> None:
    _obs(test_bundle)["method"] = RAT
    outcome = validate(test_bundle, today=date(2021, 9, 14))
    [issue] = errors_of(outcome)
    assert issue["expression"] == ["Bundle.entry[2].resource.method"]
    assert "Rapid antigen" in issue["details"]["text"]


def test_rapid_antigen_is_accepted_when_the_policy_allows_it(test_bundle: Bundle) -> None:
    _obs(test_bundle)["method"] = RAT
    _obs(test_bundle)["device"] = {
        "identifier": {
            "system": "https://covid-19-diagnostics.jrc.ec.europa.eu/devices",
            "value": "1232",
        }
    }
    record = parse_bundle(
        test_bundle, today=date(2021, 9, 14), policy=ProfilePolicy(naat_only=False)
    )
    payload = to_dcc(record, uvci=UVCI, issuer=ISSUER)
    assert (payload["t"][0]["tt"], payload["t"][0]["ma"]) == ("LP217198-3", "1232")


def test_test_sample_time_in_the_future_is_refused(test_bundle: Bundle) -> None:
    outcome = validate(test_bundle, today=date(2021, 9, 12))
    expressions = {i["expression"][0] for i in errors_of(outcome)}
    assert "Bundle.entry[2].resource.effectiveDateTime" in expressions


def test_report_before_collection_is_refused(test_bundle: Bundle) -> None:
    _obs(test_bundle)["issued"] = "2021-09-13T09:00:00+08:00"
    outcome = validate(test_bundle, today=date(2021, 9, 14))
    assert [i["expression"][0] for i in errors_of(outcome)] == ["Bundle.entry[2].resource.issued"]


def test_recovery_from_a_positive_naat(test_bundle: Bundle) -> None:
    _obs(test_bundle)["valueCodeableConcept"] = POSITIVE
    record = parse_bundle(test_bundle, today=date(2021, 9, 14), kind=CertificateKind.RECOVERY)
    assert record.kind is CertificateKind.RECOVERY
    assert isinstance(record.facts, records.RecoveryFacts)
    payload = to_dcc(record, uvci=UVCI, issuer=ISSUER)
    assert payload["r"] == [
        {
            "tg": "840539006",
            "fr": "2021-09-13",
            "co": "TW",
            "is": ISSUER,
            "ci": UVCI,
            "df": "2021-09-24",
            "du": "2022-03-12",
        }
    ]


def test_recovery_from_a_negative_test_is_refused(test_bundle: Bundle) -> None:
    with pytest.raises(ProfileInvalid) as caught:
        parse_bundle(test_bundle, today=date(2021, 9, 14), kind=CertificateKind.RECOVERY)
    assert "positive" in errors_of(caught.value.outcome)[0]["details"]["text"]


def test_recovery_from_rapid_antigen_is_refused_even_when_tests_allow_it(
    test_bundle: Bundle,
) -> None:
    _obs(test_bundle)["valueCodeableConcept"] = POSITIVE
    _obs(test_bundle)["method"] = RAT
    with pytest.raises(ProfileInvalid):
        parse_bundle(
            test_bundle,
            today=date(2021, 9, 14),
            kind=CertificateKind.RECOVERY,
            policy=ProfilePolicy(naat_only=False),
        )


def test_positive_test_without_kind_is_a_test_certificate(test_bundle: Bundle) -> None:
    _obs(test_bundle)["valueCodeableConcept"] = POSITIVE
    record = parse_bundle(test_bundle, today=date(2021, 9, 14))
    assert isinstance(record.facts, records.TestResultFacts)
    assert record.facts.result == "260373001"


@pytest.mark.parametrize(
    ("dn", "sd", "series", "ok"),
    [
        (3, 3, None, True),
        (2, 1, None, True),
        (3, 1, None, True),
        (3, 2, "booster", True),
        (3, 2, None, False),
        (4, 2, "primary", False),
    ],
    ids=["3/3", "2/1", "3/1", "3/2-booster", "3/2-unmarked", "4/2-primary"],
)
def test_dose_number_above_series_only_for_boosters(
    vaccination_bundle: Bundle, dn: int, sd: int, series: str | None, ok: bool
) -> None:
    protocol = _imm(vaccination_bundle)["protocolApplied"][0]
    protocol.update(doseNumberPositiveInt=dn, seriesDosesPositiveInt=sd)
    if series:
        protocol["series"] = series
    errors = errors_of(validate(vaccination_bundle, today=date(2021, 8, 3)))
    assert (not errors) is ok
    if ok:
        record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
        v = to_dcc(record, uvci=UVCI, issuer=ISSUER)["v"][0]
        assert (v["dn"], v["sd"]) == (dn, sd)


def test_taiwan_cdc_code_fills_product_and_manufacturer(vaccination_bundle: Bundle) -> None:
    imm = _imm(vaccination_bundle)
    imm["vaccineCode"] = {"coding": [{"system": "urn:vaxx:tw-cdc-vaccine-code", "code": "CoV AZ"}]}
    del imm["manufacturer"]
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    v = to_dcc(record, uvci=UVCI, issuer=ISSUER)["v"][0]
    assert (v["vp"], v["mp"], v["ma"]) == ("29061000087103", "EU/1/21/1529", "ORG-100001699")


def test_taiwan_cdc_code_contradicting_the_eu_code_is_refused(vaccination_bundle: Bundle) -> None:
    _imm(vaccination_bundle)["vaccineCode"]["coding"].append(
        {"system": "urn:vaxx:tw-cdc-vaccine-code", "code": "CoV Moderna"}
    )
    errors = errors_of(validate(vaccination_bundle, today=date(2021, 8, 3)))
    assert any("contradicts" in e["details"]["text"] for e in errors)


@pytest.mark.parametrize(
    ("code", "message"), [("MMR", "not a COVID-19 vaccine"), ("XYZ", "tw-cdc-vaccine-code")]
)
def test_non_covid_and_unknown_cdc_codes_are_refused(
    vaccination_bundle: Bundle, code: str, message: str
) -> None:
    _imm(vaccination_bundle)["vaccineCode"] = {
        "coding": [{"system": "urn:vaxx:tw-cdc-vaccine-code", "code": code}]
    }
    errors = errors_of(validate(vaccination_bundle, today=date(2021, 8, 3)))
    assert any(message in e["details"]["text"] for e in errors)


@pytest.mark.parametrize(
    ("value_set", "code", "lang", "expected"),
    [
        ("tw-cdc-vaccine-code", "13PCV", "zh-TW", "十三價結合型肺炎鏈球菌疫苗"),
        ("tw-cdc-vaccine-code", "5in1", "en", "DTaP-Hib-IPV combined vaccine"),
        ("vaccine-medicinal-product", "EU/1/20/1528", "en", "Comirnaty"),
        ("vaccines-covid-19-names", "MVC-COV1901", "zh-TW", "高端 (MVC-COV1901)"),
        ("vaccine-mah-manf", "ORG-100001417", "en", "Janssen-Cilag International"),
        ("country-2-codes", "AD", "zh-TW", "Andorra"),
        ("country-2-codes", "ZZ", "en", None),
        ("no-such-set", "x", "en", None),
    ],
)
def test_display_names(value_set: str, code: str, lang: Any, expected: str | None) -> None:
    assert display_name(value_set, code, lang) == expected


def test_validate_dcc_rejects_schema_and_value_set_violations(vaccination_bundle: Bundle) -> None:
    payload = to_dcc(
        parse_bundle(vaccination_bundle, today=date(2021, 8, 3)), uvci=UVCI, issuer=ISSUER
    )
    with pytest.raises(DccInvalid, match="schema"):
        validate_dcc({**payload, "dob": "1899-01-01"})
    with pytest.raises(DccInvalid, match="value sets"):
        validate_dcc({**payload, "v": [{**payload["v"][0], "mp": "EU/9/99/9999"}]})
    with pytest.raises(DccInvalid, match="schema"):
        validate_dcc({**payload, "t": payload["v"]})
    with pytest.raises(DccInvalid, match="object"):
        validate_dcc([payload])


def test_to_dcc_refuses_other_schema_versions(vaccination_bundle: Bundle) -> None:
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    with pytest.raises(ValueError, match=r"1\.3\.x"):
        to_dcc(record, uvci=UVCI, issuer=ISSUER, schema_version="1.0.0")
    assert to_dcc(record, uvci=UVCI, issuer=ISSUER, schema_version="1.3.2")["ver"] == "1.3.2"


def test_to_dcc_refuses_an_issuer_longer_than_80(vaccination_bundle: Bundle) -> None:
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    with pytest.raises(DccInvalid):
        to_dcc(record, uvci=UVCI, issuer="x" * 81)


def test_vaccination_time_is_converted_to_the_taipei_date(vaccination_bundle: Bundle) -> None:
    _imm(vaccination_bundle)["occurrenceDateTime"] = "2021-08-01T17:30:00Z"
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    assert to_dcc(record, uvci=UVCI, issuer=ISSUER)["v"][0]["dt"] == "2021-08-02"


def test_one_latin_name_serves_as_passport_spelling(vaccination_bundle: Bundle) -> None:
    patient = vaccination_bundle["entry"][0]["resource"]
    patient["name"] = [{"use": "official", "family": "Müller", "given": ["Anna-Lena"]}]
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    assert to_dcc(record, uvci=UVCI, issuer=ISSUER)["nam"] == {
        "fn": "Müller",
        "fnt": "MUELLER",
        "gn": "Anna-Lena",
        "gnt": "ANNA<LENA",
    }


def test_chinese_name_without_passport_spelling_is_refused(vaccination_bundle: Bundle) -> None:
    patient = vaccination_bundle["entry"][0]["resource"]
    patient["name"] = patient["name"][:1]
    errors = errors_of(validate(vaccination_bundle, today=date(2021, 8, 3)))
    assert any("transliterated" in e["details"]["text"] for e in errors)


def _with_next_dose(bundle: Bundle, value: str) -> None:
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:rec",
            "resource": {
                "resourceType": "ImmunizationRecommendation",
                "patient": {"reference": bundle["entry"][0]["fullUrl"]},
                "date": "2021-08-02",
                "recommendation": [
                    {
                        "forecastStatus": {"coding": [{"code": "due"}]},
                        "dateCriterion": [
                            {
                                "code": {
                                    "coding": [{"system": "http://loinc.org", "code": "30980-7"}]
                                },
                                "value": value,
                            }
                        ],
                        "supportingImmunization": [{"reference": bundle["entry"][3]["fullUrl"]}],
                    }
                ],
            },
        }
    )


def test_next_dose_is_kept_in_the_record(vaccination_bundle: Bundle) -> None:
    _with_next_dose(vaccination_bundle, "2021-10-02")
    record = parse_bundle(vaccination_bundle, today=date(2021, 8, 3))
    assert isinstance(record.facts, records.VaccinationFacts)
    assert record.facts.next_dose == date(2021, 10, 2)
    assert "v" in to_dcc(record, uvci=UVCI, issuer=ISSUER)


def test_next_dose_before_the_vaccination_is_refused(vaccination_bundle: Bundle) -> None:
    _with_next_dose(vaccination_bundle, "2021-08-01")
    errors = errors_of(validate(vaccination_bundle, today=date(2021, 8, 3)))
    assert [e["expression"][0] for e in errors] == [
        "Bundle.entry[4].resource.recommendation[0].dateCriterion[0].value"
    ]


def test_observation_code_must_be_loinc(test_bundle: Bundle) -> None:
    _obs(test_bundle)["code"] = {"coding": [{"system": "http://example.org", "code": "pcr"}]}
    errors = errors_of(validate(test_bundle, today=date(2021, 9, 14)))
    assert [e["expression"][0] for e in errors] == ["Bundle.entry[2].resource.code"]


@pytest.mark.parametrize(
    ("edit", "expression"),
    [
        (
            lambda imm: imm["manufacturer"]["identifier"].update(value="ORG-100031184"),
            "Bundle.entry[3].resource.manufacturer",
        ),
        (
            lambda imm: imm["vaccineCode"]["coding"][0].update(code="29061000087103"),
            "Bundle.entry[3].resource.vaccineCode",
        ),
    ],
    ids=["comirnaty-by-moderna", "comirnaty-as-viral-vector"],
)
def test_eu_encoding_instructions_are_enforced_for_new_certificates(
    vaccination_bundle: Bundle, edit: Any, expression: str
) -> None:
    edit(_imm(vaccination_bundle))
    outcome = validate(vaccination_bundle, today=date(2021, 8, 3))
    assert [e["expression"][0] for e in errors_of(outcome)] == [expression]
    relaxed = validate(
        vaccination_bundle,
        today=date(2021, 8, 3),
        policy=ProfilePolicy(enforce_encoding_instructions=False),
    )
    assert not errors_of(relaxed)
    assert [i["severity"] for i in relaxed["issue"]] == ["warning"]
