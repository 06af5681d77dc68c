"""The parsed, validated certificate record and the policy that governs validation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fhir.resources.R4B.immunization import Immunization
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.resource import Resource

#: ``date`` under another name, for classes that have a field called ``date``.
_Day = date


class CertificateKind(StrEnum):
    VACCINATION = "vaccination"
    TEST = "test"
    RECOVERY = "recovery"


@dataclass(frozen=True, slots=True)
class ProfilePolicy:
    """Settings that decide what a valid Bundle is (fail closed: the defaults are the strict
    Taiwan IG rules for certificates issued here).

    ``naat_only``: the Taiwan IG accepts only nucleic-acid tests, so a rapid antigen test is a
    validation error. ``require_clinic_details``: the IG's 1..1 elements that the DCC does not
    carry (identifier, gender, lot number, performer, MOHW institution code) must be present.
    ``allow_inactive_codes``: codes the EU has deprecated (``J07BX03``) are warnings, not
    errors. ``enforce_encoding_instructions``: ``vp``/``ma`` must be the ones the EU's
    vaccine-encoding-instructions give for the product (else only a warning).
    ``recovery_valid_from_days``/``recovery_valid_days``: the recovery validity the DCC
    carries in ``df``/``du``, counted from the first positive test (EU: day 11 to 180).
    """

    naat_only: bool = True
    require_clinic_details: bool = True
    allow_inactive_codes: bool = False
    enforce_encoding_instructions: bool = True
    recovery_valid_from_days: int = 11
    recovery_valid_days: int = 180

    @classmethod
    def imported(cls) -> ProfilePolicy:
        """For certificates issued elsewhere (``from_dcc``): accept what a valid DCC carries,
        which is less than the Taiwan IG demands of its own clinics."""
        return cls(
            naat_only=False,
            require_clinic_details=False,
            allow_inactive_codes=True,
            enforce_encoding_instructions=False,
        )


@dataclass(frozen=True, slots=True)
class Person:
    """The DCC ``nam`` and ``dob`` facts."""

    family: str | None
    given: str | None
    family_t: str | None
    given_t: str | None
    birth_date: str


@dataclass(frozen=True, slots=True)
class VaccinationFacts:
    target: str
    prophylaxis: str
    product: str
    manufacturer: str
    dose_number: int
    series_doses: int
    date: date
    country: str
    next_dose: _Day | None = None


@dataclass(frozen=True, slots=True)
class TestResultFacts:
    target: str
    test_type: str
    test_name: str | None
    device: str | None
    sample_collected: datetime
    result: str
    centre: str | None
    country: str


@dataclass(frozen=True, slots=True)
class RecoveryFacts:
    target: str
    first_positive: date
    country: str
    valid_from: date
    valid_until: date


Facts = VaccinationFacts | TestResultFacts | RecoveryFacts


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    """One certificate's validated resources and the typed facts the DCC needs.

    ``bundle`` is the source Bundle JSON exactly as received (what the issuer stores);
    ``resources`` maps each other referenced entry's fullUrl to its model. ``uvci`` and
    ``issuer`` are set only for Bundles that already carry a certificate identifier (imports).
    """

    kind: CertificateKind
    patient: Patient
    event: Immunization | Observation
    resources: dict[str, Resource]
    bundle: dict[str, Any]
    person: Person
    facts: Facts
    uvci: str | None = None
    issuer: str | None = None
