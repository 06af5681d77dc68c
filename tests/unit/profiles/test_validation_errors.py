"""Each kind of invalid input yields an OperationOutcome issue naming the element, and all
of them are reported at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from profiles import ProfileInvalid, errors_of, parse_bundle, validate

TODAY = date(2021, 8, 3)
Bundle = dict[str, Any]
PATIENT, ORG, IMM = 0, 1, 3


def _patient(b: Bundle) -> dict[str, Any]:
    resource: dict[str, Any] = b["entry"][PATIENT]["resource"]
    return resource


def _imm(b: Bundle) -> dict[str, Any]:
    resource: dict[str, Any] = b["entry"][IMM]["resource"]
    return resource


def _set(
    getter: Callable[[Bundle], dict[str, Any]], key: str, value: Any
) -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        getter(b)[key] = value

    return edit


def _drop(getter: Callable[[Bundle], dict[str, Any]], key: str) -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        del getter(b)[key]

    return edit


def _protocol(key: str, value: Any) -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        _imm(b)["protocolApplied"][0][key] = value

    return edit


def _vaccine_code(index: int, code: str) -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        _imm(b)["vaccineCode"]["coding"][index]["code"] = code

    return edit


def _ident(value: str, system: str = "http://www.moi.gov.tw") -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        _patient(b)["identifier"][0].update(system=system, value=value)

    return edit


def _name0(name: dict[str, Any]) -> Callable[[Bundle], None]:
    def edit(b: Bundle) -> None:
        _patient(b)["name"][0] = name

    return edit


P = "Bundle.entry[0].resource"
I = "Bundle.entry[3].resource"  # noqa: E741 - mirrors the FHIRPath
CASES = [
    (
        "future-vaccination",
        _set(_imm, "occurrenceDateTime", "2021-08-04"),
        f"{I}.occurrenceDateTime",
    ),
    ("future-birth", _set(_patient, "birthDate", "2021-09"), f"{P}.birthDate"),
    ("birth-after-vaccination", _set(_patient, "birthDate", "2021-08-03"), f"{P}.birthDate"),
    (
        "dose-above-series",
        _protocol("doseNumberPositiveInt", 3),
        f"{I}.protocolApplied[0].doseNumberPositiveInt",
    ),
    (
        "dose-zero",
        _protocol("doseNumberPositiveInt", 0),
        f"{I}.protocolApplied[0].doseNumberPositiveInt",
    ),
    ("empty-name", _name0({"use": "official"}), f"{P}.name"),
    ("unknown-product", _vaccine_code(1, "EU/9/99/9999"), f"{I}.vaccineCode"),
    ("unknown-prophylaxis", _vaccine_code(0, "123"), f"{I}.vaccineCode"),
    ("national-id-check-digit", _ident("A123456788"), f"{P}.identifier[0].value"),
    ("national-id-format", _ident("A323456789"), f"{P}.identifier[0].value"),
    (
        "resident-permit-check-digit",
        _ident("FA12345688", "http://www.immigration.gov.tw"),
        f"{P}.identifier[0].value",
    ),
    (
        "passport-tw-format",
        _ident("A1234567", "http://hl7.org/fhir/sid/passport-TWN"),
        f"{P}.identifier[0].value",
    ),
    ("no-lot", _drop(_imm, "lotNumber"), f"{I}.lotNumber"),
    ("no-performer", _drop(_imm, "performer"), f"{I}.performer"),
    ("gender", _set(_patient, "gender", "x"), f"{P}.gender"),
    ("birth-date-format", _set(_patient, "birthDate", "14/03/1985"), f"{P}.birthDate"),
    ("status", _set(_imm, "status", "not-done"), f"{I}.status"),
    ("deprecated-code", _vaccine_code(0, "J07BX03"), f"{I}.vaccineCode"),
    ("bad-country", _set(_patient, "address", [{"country": "XX"}]), f"{P}.address[0].country"),
    ("pydantic-structure", _set(_patient, "name", "陳小明"), f"{P}.name"),
]


@pytest.mark.parametrize(("edit", "expression"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_names_its_element(
    vaccination_bundle: Bundle, edit: Callable[[Bundle], None], expression: str
) -> None:
    edit(vaccination_bundle)
    outcome = validate(vaccination_bundle, today=TODAY)
    expressions = [issue["expression"][0] for issue in errors_of(outcome)]
    assert expression in expressions
    issue = next(i for i in errors_of(outcome) if i["expression"][0] == expression)
    assert issue["details"]["text"]
    zh = issue["details"]["_text"]["extension"][0]["extension"][1]["valueString"]
    assert zh
    assert zh != issue["details"]["text"]
    with pytest.raises(ProfileInvalid, match="breaks the Taiwan DCC profiles") as caught:
        parse_bundle(vaccination_bundle, today=TODAY)
    assert caught.value.outcome == outcome
    assert caught.value.code == "profile_invalid"


def test_all_problems_are_reported_at_once(vaccination_bundle: Bundle) -> None:
    _patient(vaccination_bundle)["birthDate"] = "2030"
    _patient(vaccination_bundle)["identifier"][0]["value"] = "A123456788"
    del _imm(vaccination_bundle)["lotNumber"]
    _imm(vaccination_bundle)["occurrenceDateTime"] = "2022-01-01"
    _imm(vaccination_bundle)["protocolApplied"][0]["doseNumberPositiveInt"] = 5
    outcome = validate(vaccination_bundle, today=TODAY)
    assert len(errors_of(outcome)) == 5


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "Bundle",
        {"resourceType": "Patient"},
        {"resourceType": "Bundle", "entry": []},
        {"resourceType": "Bundle", "type": "collection", "entry": [1, {"resource": []}]},
    ],
    ids=["none", "list", "string", "not-a-bundle", "no-entries", "junk-entries"],
)
def test_garbage_yields_an_outcome_not_an_exception(data: Any) -> None:
    outcome = validate(data, today=TODAY)
    assert errors_of(outcome)
    with pytest.raises(ProfileInvalid):
        parse_bundle(data, today=TODAY)


def test_two_events_in_one_bundle_are_refused(vaccination_bundle: Bundle) -> None:
    vaccination_bundle["entry"].append(vaccination_bundle["entry"][IMM])
    outcome = validate(vaccination_bundle, today=TODAY)
    assert any("exactly one Immunization" in i["details"]["text"] for i in errors_of(outcome))


def test_reference_to_a_missing_patient_is_refused(vaccination_bundle: Bundle) -> None:
    _imm(vaccination_bundle)["patient"] = {"reference": "urn:uuid:nobody"}
    outcome = validate(vaccination_bundle, today=TODAY)
    assert [i["expression"][0] for i in errors_of(outcome)] == [f"{I}.patient"]


def test_institution_code_is_required_in_taiwan(vaccination_bundle: Bundle) -> None:
    vaccination_bundle["entry"][ORG]["resource"]["identifier"][0]["value"] = "113306001"
    outcome = validate(vaccination_bundle, today=TODAY)
    assert [i["expression"][0] for i in errors_of(outcome)] == [
        "Bundle.entry[1].resource.identifier"
    ]


def test_name_longer_than_the_dcc_allows_is_refused(vaccination_bundle: Bundle) -> None:
    _patient(vaccination_bundle)["name"][0]["given"] = ["明" * 81]
    outcome = validate(vaccination_bundle, today=TODAY)
    assert [i["expression"][0] for i in errors_of(outcome)] == [f"{P}.name[0].given"]


def test_one_error_per_element_and_the_outcome_is_valid_fhir(vaccination_bundle: Bundle) -> None:
    from fhir.resources.R4B.operationoutcome import OperationOutcome

    _patient(vaccination_bundle)["birthDate"] = "1985-13-01"  # fails the model and our rule
    outcome = validate(vaccination_bundle, today=TODAY)
    [issue] = errors_of(outcome)
    assert issue["expression"] == [f"{P}.birthDate"]
    assert "1985-13-01" in issue["details"]["text"]
    OperationOutcome.model_validate(outcome)


def test_missing_birth_date_is_refused_for_clinics_but_unknown_for_imports(
    vaccination_bundle: Bundle,
) -> None:
    from profiles import ProfilePolicy, to_dcc

    del _patient(vaccination_bundle)["birthDate"]
    assert [i["expression"][0] for i in errors_of(validate(vaccination_bundle, today=TODAY))] == [
        f"{P}.birthDate"
    ]
    record = parse_bundle(vaccination_bundle, today=TODAY, policy=ProfilePolicy.imported())
    assert to_dcc(record, uvci="URN:UVCI:01:TW:ABCDEFGHIJ", issuer="CDC")["dob"] == ""
