"""Validate a Taiwan IG Bundle and turn it into a ``CertificateRecord``.

The steps, each collecting issues rather than stopping:

1. Bundle shape and each entry's FHIR structure (``_internal.bundle``).
2. Exactly one Patient and exactly one event (Immunization or Observation) about it.
3. Patient rules (IG 2.1), then the event's rules (IG 2.2 vaccination, 2.3 test, recovery).
4. Cross-resource rules: birth date not after the event.

Only when no error was found is a record built; otherwise ``ProfileInvalid`` carries the
whole OperationOutcome.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient

from profiles._internal.access import obj, text
from profiles._internal.bundle import BundleView, Entry, read_bundle
from profiles._internal.immunization import check_immunization
from profiles._internal.observation import check_recovery, check_test, recovery_validity
from profiles._internal.patient import check_patient
from profiles.dates import earliest_day
from profiles.errors import ProfileInvalid
from profiles.outcome import Issues, operation_outcome
from profiles.record import (
    CertificateKind,
    CertificateRecord,
    Facts,
    Person,
    ProfilePolicy,
    RecoveryFacts,
    TestResultFacts,
)

UVCI_SYSTEM = "urn:vaxx:dcc:uvci"
#: The default policy: the Taiwan IG rules for certificates issued here.
STRICT = ProfilePolicy()


@dataclass(slots=True)
class _Checked:
    view: BundleView | None
    patient: Entry | None
    event: Entry | None
    kind: CertificateKind | None
    person: Person | None
    facts: Facts | None


def validate(
    data: Mapping[str, Any],
    *,
    today: date,
    policy: ProfilePolicy = STRICT,
    kind: CertificateKind | None = None,
) -> dict[str, Any]:
    """Every problem of the Bundle as a FHIR OperationOutcome dict (a single "information"
    issue when it is valid)."""
    issues = Issues()
    _check(data, today, policy, kind, issues)
    return operation_outcome(issues.items)


def parse_bundle(
    data: Mapping[str, Any],
    *,
    today: date,
    policy: ProfilePolicy = STRICT,
    kind: CertificateKind | None = None,
) -> CertificateRecord:
    """The validated record of a Taiwan IG Bundle; ``ProfileInvalid`` lists every problem.

    ``kind`` defaults to what the Bundle holds: an Immunization is a vaccination, an
    Observation with the recovery-validity extension a recovery, any other Observation a test.
    Pass ``CertificateKind.RECOVERY`` to certify recovery from a positive NAAT Observation.
    """
    issues = Issues()
    checked = _check(data, today, policy, kind, issues)
    if issues.has_errors:
        outcome = operation_outcome(issues.items)
        count = sum(1 for i in issues.items if i.severity == "error")
        raise ProfileInvalid(
            f"the Bundle breaks the Taiwan DCC profiles ({count} errors)", operation_outcome=outcome
        )
    return _record(data, checked)


def _check(
    data: Mapping[str, Any],
    today: date,
    policy: ProfilePolicy,
    kind: CertificateKind | None,
    issues: Issues,
) -> _Checked:
    view = read_bundle(data, issues)
    empty = _Checked(view, None, None, None, None, None)
    if view is None:
        return empty
    patient, event = _one(view, "Patient", issues), _event(view, issues)
    person = check_patient(patient, policy, today, issues) if patient else None
    if event is None:
        return _Checked(view, patient, None, None, person, None)
    kind = kind or _kind_of(event)
    _subject(view, event, patient, issues)
    facts = _facts(view, event, kind, policy, today, issues)
    if person is not None and facts is not None:
        _born_before(person, patient, facts, issues)
    return _Checked(view, patient, event, kind, person, facts)


def _one(view: BundleView, resource_type: str, issues: Issues) -> Entry | None:
    found = view.of_type(resource_type)
    if len(found) != 1:
        issues.error(
            "Bundle.entry",
            f"Expected exactly one {resource_type}, found {len(found)}",
            f"須恰有一筆 {resource_type}，實際 {len(found)} 筆",
            code="structure",
        )
        return None
    return found[0]


def _event(view: BundleView, issues: Issues) -> Entry | None:
    events = view.of_type("Immunization") + view.of_type("Observation")
    if len(events) != 1:
        issues.error(
            "Bundle.entry",
            "Expected exactly one Immunization or Observation "
            f"(one certificate per Bundle), found {len(events)}",
            f"每個 Bundle 須恰有一筆 Immunization 或 Observation，實際 {len(events)} 筆",
            code="structure",
        )
        return None
    return events[0]


def _kind_of(event: Entry) -> CertificateKind:
    if event.resource_type == "Immunization":
        return CertificateKind.VACCINATION
    if recovery_validity(event.raw) is not None:
        return CertificateKind.RECOVERY
    return CertificateKind.TEST


def _subject(view: BundleView, event: Entry, patient: Entry | None, issues: Issues) -> None:
    key = "patient" if event.resource_type == "Immunization" else "subject"
    target = view.resolve(obj(event.raw, key))
    if patient is not None and target is not patient:
        issues.error(
            f"{event.path}.{key}",
            f"{key} must reference the Bundle's Patient",
            f"{key} 須參照 Bundle 內的 Patient",
            code="invariant",
        )


def _facts(
    view: BundleView,
    event: Entry,
    kind: CertificateKind,
    policy: ProfilePolicy,
    today: date,
    issues: Issues,
) -> Facts | None:
    expected = "Immunization" if kind is CertificateKind.VACCINATION else "Observation"
    if event.resource_type != expected:
        issues.error(
            f"{event.path}",
            f"A {kind} certificate needs an {expected}",
            f"{kind} 證明須為 {expected}",
            code="structure",
        )
        return None
    if kind is CertificateKind.VACCINATION:
        return check_immunization(view, event, policy, today, issues)
    if kind is CertificateKind.TEST:
        return check_test(view, event, policy, today, issues)
    return check_recovery(view, event, policy, today, issues)


def _born_before(person: Person, patient: Entry | None, facts: Facts, issues: Issues) -> None:
    if isinstance(facts, TestResultFacts):
        event_day = facts.sample_collected.date()
    elif isinstance(facts, RecoveryFacts):
        event_day = facts.first_positive
    else:
        event_day = facts.date
    if person.birth_date and earliest_day(person.birth_date) > event_day:
        where = f"{patient.path}.birthDate" if patient else "Patient.birthDate"
        issues.error(
            where,
            f"Birth date {person.birth_date} is after the event ({event_day})",
            f"出生日期 {person.birth_date} 晚於接種或採檢日期 ({event_day})",
            code="business-rule",
        )


def _record(data: Mapping[str, Any], checked: _Checked) -> CertificateRecord:
    view, patient, event = checked.view, checked.patient, checked.event
    kind, person, facts = checked.kind, checked.person, checked.facts
    if view is None or patient is None or event is None or kind is None or person is None:
        raise AssertionError("a Bundle without errors has all its parts")  # pragma: no cover
    if facts is None:
        raise AssertionError("a Bundle without errors has its facts")  # pragma: no cover
    others = {
        e.full_url or f"entry[{e.index}]": e.model
        for e in view.entries
        if e is not patient and e is not event and e.model is not None
    }
    identifier = obj(data, "identifier")
    return CertificateRecord(
        kind=kind,
        patient=cast(Patient, patient.model),
        event=cast(Immunization | Observation, event.model),
        resources=others,
        bundle=copy.deepcopy(dict(data)),
        person=person,
        facts=facts,
        uvci=text(identifier, "value") if text(identifier, "system") == UVCI_SYSTEM else None,
        issuer=text(obj(identifier, "assigner"), "display"),
    )
