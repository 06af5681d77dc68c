"""FHIR R4 views of booking data, as plain JSON dicts.

- :func:`immunization_bundle`: an administered dose as the Taiwan IG collection Bundle
  (Patient, Organization, Practitioner, Immunization; entries linked by ``urn:uuid``),
  the shape the issuer signs (see standards 2.2).
- :func:`location`, :func:`schedule`, :func:`slot`, :func:`appointment`: what the public
  availability feed publishes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from booking import taiwan
from booking.enums import AppointmentStatus
from booking.enums import Session as DaySession
from booking.models import Appointment, ExternalDose, Site, Slot
from booking.taiwan import TAIPEI, IdType
from booking.vaccines import VACCINES, Vaccine

SNOMED = "http://snomed.info/sct"
EU_PRODUCT = "https://ec.europa.eu/health/documents/community-register/html/"
EMA_ORGANISATIONS = "https://spor.ema.europa.eu/v1/organisations"
MOHW_ORGANISATION = "https://twcore.mohw.gov.tw/ig/twcore/CodeSystem/organization-identifier-tw"
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"
COVID19 = "840539006"
_ID_SYSTEMS = {
    IdType.NATIONAL_ID: ("http://www.moi.gov.tw", "NNxxx"),
    IdType.RESIDENT_PERMIT: ("http://www.immigration.gov.tw", "PRC"),
    IdType.PASSPORT: ("http://hl7.org/fhir/sid/passport-", "PPN"),
}


@dataclass(frozen=True)
class DoseFacts:
    """Everything an Immunization Bundle says about one dose."""

    id_type: IdType
    id_value: str
    passport_state: str | None
    birth_date: date
    family_en: str
    given_en: str
    family_zh: str | None
    given_zh: str | None
    gender: str
    site: Site
    performer_name: str
    performer_licence: str | None
    vaccine: Vaccine
    lot_number: str
    administered_at: datetime
    dose_number: int
    series_doses: int


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _patient(facts: DoseFacts) -> dict[str, Any]:
    system, type_code = _ID_SYSTEMS[facts.id_type]
    if facts.id_type is IdType.PASSPORT:
        system += facts.passport_state or ""
    names: list[dict[str, Any]] = []
    if facts.family_zh and facts.given_zh:
        text = facts.family_zh + facts.given_zh
        names.append(
            {"use": "official", "text": text, "family": facts.family_zh, "given": [facts.given_zh]}
        )
    family, given = facts.family_en.upper(), facts.given_en.upper()
    names.append(
        {"use": "official", "text": f"{family}, {given}", "family": family, "given": [given]}
    )
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [
            {
                "use": "official",
                "system": system,
                "type": {"coding": [{"system": V2_0203, "code": type_code}]},
                "value": facts.id_value,
            }
        ],
        "name": names,
        "gender": facts.gender,
        "birthDate": facts.birth_date.isoformat(),
        "address": [{"country": "TW"}],
    }
    return patient


def _organization(site: Site) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "identifier": [{"system": MOHW_ORGANISATION, "value": site.code}],
        "name": site.name_zh,
        "alias": [site.name_en],
        "address": [{"country": "TW"}],
    }


def _practitioner(facts: DoseFacts) -> dict[str, Any]:
    practitioner: dict[str, Any] = {
        "resourceType": "Practitioner",
        "name": [{"text": facts.performer_name}],
    }
    if facts.performer_licence:
        practitioner["identifier"] = [
            {
                "type": {"coding": [{"system": V2_0203, "code": "LN"}]},
                "value": facts.performer_licence,
            }
        ]
    return practitioner


def _immunization(facts: DoseFacts, patient: str, site: str, performer: str) -> dict[str, Any]:
    product = facts.vaccine
    return {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {
            "coding": [
                {"system": SNOMED, "code": product.snomed_type},
                {"system": EU_PRODUCT, "code": product.eu_product},
            ]
        },
        "patient": {"reference": patient},
        "occurrenceDateTime": taiwan.taipei_date(facts.administered_at).isoformat(),
        "location": {"reference": site},
        "manufacturer": {
            "identifier": {"system": EMA_ORGANISATIONS, "value": product.manufacturer_org}
        },
        "lotNumber": facts.lot_number,
        "performer": [{"actor": {"reference": performer}}],
        "protocolApplied": [
            {
                "targetDisease": [{"coding": [{"system": SNOMED, "code": COVID19}]}],
                "doseNumberPositiveInt": facts.dose_number,
                "seriesDosesPositiveInt": facts.series_doses,
            }
        ],
    }


def immunization_bundle(facts: DoseFacts) -> dict[str, Any]:
    """The dose as a Taiwan IG ``collection`` Bundle, timestamped in Asia/Taipei."""
    patient, site, performer, immunization = _urn(), _urn(), _urn(), _urn()
    entries = [
        (patient, _patient(facts)),
        (site, _organization(facts.site)),
        (performer, _practitioner(facts)),
        (immunization, _immunization(facts, patient, site, performer)),
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": facts.administered_at.astimezone(TAIPEI).isoformat(timespec="seconds"),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def location(site: Site) -> dict[str, Any]:
    """A site as a FHIR Location (identifier = MOHW institution code)."""
    county = taiwan.county(site.county_code)
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": site.code,
        "identifier": [{"system": MOHW_ORGANISATION, "value": site.code}],
        "status": "active",
        "name": site.name_zh,
        "alias": [site.name_en],
        "type": [{"text": site.type}],
        "address": {
            "text": site.address,
            "district": site.district,
            "city": county.name_zh,
            "country": "TW",
        },
    }
    if site.phone:
        resource["telecom"] = [{"system": "phone", "value": site.phone}]
    if site.latitude is not None and site.longitude is not None:
        resource["position"] = {"latitude": site.latitude, "longitude": site.longitude}
    return resource


def schedule_id(site: Site, vaccine_code: str, funding: str) -> str:
    return f"{site.code}-{vaccine_code.replace(' ', '-')}-{funding}"


def schedule(site: Site, vaccine_code: str, funding: str) -> dict[str, Any]:
    """A site's calendar for one vaccine product and funding (FHIR Schedule)."""
    return {
        "resourceType": "Schedule",
        "id": schedule_id(site, vaccine_code, funding),
        "active": True,
        "serviceType": [{"text": f"{vaccine_code} ({funding})"}],
        "actor": [{"reference": f"Location/{site.code}"}],
    }


def slot(slot_row: Slot, site: Site) -> dict[str, Any]:
    """One session as a FHIR Slot; free while places remain."""
    start, end = DaySession(slot_row.session).hours
    free = slot_row.closed_at is None and slot_row.booked < slot_row.capacity
    return {
        "resourceType": "Slot",
        "id": str(slot_row.id),
        "schedule": {
            "reference": f"Schedule/{schedule_id(site, slot_row.vaccine_code, slot_row.funding)}"
        },
        "status": "free" if free else "busy",
        "start": datetime.combine(slot_row.day, start, TAIPEI).isoformat(),
        "end": datetime.combine(slot_row.day, end, TAIPEI).isoformat(),
        "comment": f"{slot_row.capacity - slot_row.booked} of {slot_row.capacity} places free",
    }


_APPOINTMENT_STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.CHECKED_IN: "checked-in",
    AppointmentStatus.ADMINISTERED: "fulfilled",
    AppointmentStatus.NO_SHOW: "noshow",
}


def appointment(row: Appointment, slot_row: Slot, site: Site) -> dict[str, Any]:
    """An appointment as FHIR Appointment (the person is referred to, never inlined)."""
    start, end = DaySession(slot_row.session).hours
    return {
        "resourceType": "Appointment",
        "id": row.reference,
        "status": _APPOINTMENT_STATUS[AppointmentStatus(row.status)],
        "slot": [{"reference": f"Slot/{slot_row.id}"}],
        "start": datetime.combine(slot_row.day, start, TAIPEI).isoformat(),
        "end": datetime.combine(slot_row.day, end, TAIPEI).isoformat(),
        "created": row.created_at.isoformat(),
        "description": f"{slot_row.vaccine_code} dose {row.dose_number}",
        "participant": [
            {"actor": {"reference": f"Location/{site.code}"}, "status": "accepted"},
        ],
    }


def external_immunization(dose: ExternalDose) -> dict[str, Any]:
    """A dose entered from elsewhere, as a (not primary-source) FHIR Immunization."""
    product = VACCINES[dose.vaccine_code]
    resource: dict[str, Any] = {
        "resourceType": "Immunization",
        "id": f"external-{dose.id}",
        "status": "completed",
        "primarySource": False,
        "vaccineCode": {
            "coding": [
                {"system": SNOMED, "code": product.snomed_type},
                {"system": EU_PRODUCT, "code": product.eu_product},
            ]
        },
        "patient": {
            "identifier": {"system": _ID_SYSTEMS[IdType(dose.id_type)][0], "value": dose.id_value}
        },
        "occurrenceDateTime": dose.given_on.isoformat(),
    }
    if dose.lot_number:
        resource["lotNumber"] = dose.lot_number
    if dose.institution_code:
        resource["location"] = {
            "identifier": {"system": MOHW_ORGANISATION, "value": dose.institution_code}
        }
    return resource
