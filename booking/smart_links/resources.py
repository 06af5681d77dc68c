"""Booking rows as the FHIR resources of a SMART Scheduling Links feed (pure functions).

Specification: smart-on-fhir/smart-scheduling-links, ``specification.md`` (Slot Publisher
API). Ids there are "up to 64 alphanumeric characters and may include ``_`` and ``.``", so
Schedule ids are built from the site code, vaccine and funding with other characters turned
into ``_``. A booking slot is one session with a capacity; it is published as up to two
aggregated Slots with the ``slot-capacity`` extension (spec: "aggregate otherwise identical
slots"): the free places, with a booking deep link, and the places already taken (busy),
which the spec asks publishers to include so clients can follow total capacity.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from booking import taiwan
from booking.enums import Session as DaySession
from booking.fhir import MOHW_ORGANISATION
from booking.models import Site, Slot
from booking.taiwan import TAIPEI

REGISTRY = "http://fhir-registry.smarthealthit.org"
DEEP_LINK = f"{REGISTRY}/StructureDefinition/booking-deep-link"
BOOKING_PHONE = f"{REGISTRY}/StructureDefinition/booking-phone"
CAPACITY = f"{REGISTRY}/StructureDefinition/slot-capacity"
VACCINE_PRODUCT = f"{REGISTRY}/StructureDefinition/vaccine-product"
CVX = "http://hl7.org/fhir/sid/cvx"
SERVICE_TYPE = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/service-type",
                "code": "57",
                "display": "Immunization",
            },
            {
                "system": f"{REGISTRY}/CodeSystem/service-type",
                "code": "covid19-immunization",
                "display": "COVID-19 Immunization Appointment",
            },
        ]
    }
]
# CDC CVX codes of the products Taiwan used; Medigen has no product code of its own in CVX,
# so it takes 213 (SARS-COV-2 vaccine, unspecified formulation) with its name as display.
_CVX = {
    "CoV AZ": ("210", "AstraZeneca COVID-19 Vaccine"),
    "CoV Moderna": ("207", "Moderna COVID-19 Vaccine"),
    "CoV BNT": ("208", "Pfizer-BioNTech COVID-19 Vaccine"),
    "CoV Novavax": ("211", "Novavax COVID-19 Vaccine"),
    "CoV Medigen": ("213", "Medigen MVC-COV1901 COVID-19 Vaccine"),
}
_NOT_ID = re.compile(r"[^A-Za-z0-9._]")


def fhir_id(*parts: str) -> str:
    """A spec-conformant id: the parts joined by ``.``, other characters as ``_``."""
    return ".".join(_NOT_ID.sub("_", part) for part in parts)[:64]


def location(site: Site, site_url: str) -> dict[str, Any]:
    """A site as the spec's Location (state = our county code, city = the county's name)."""
    county = taiwan.county(site.county_code)
    telecom = [{"system": "phone", "value": site.phone}] if site.phone else []
    telecom.append({"system": "url", "value": site_url})
    resource: dict[str, Any] = {
        "resourceType": "Location",
        "id": site.code,
        "identifier": [{"system": MOHW_ORGANISATION, "value": site.code}],
        "name": site.name_zh,
        "alias": [site.name_en],
        "telecom": telecom,
        "address": {
            "line": [site.address],
            "city": county.name_zh,
            "district": site.district,
            "state": county.code,
            "country": "TW",
        },
    }
    if site.latitude is not None and site.longitude is not None:
        resource["position"] = {"latitude": site.latitude, "longitude": site.longitude}
    return resource


def schedule_id(site: Site, vaccine_code: str, funding: str) -> str:
    return fhir_id(site.code, vaccine_code, funding)


def schedule(site: Site, vaccine_code: str, funding: str) -> dict[str, Any]:
    """One site's calendar for one vaccine product and funding (public or self-paid)."""
    code, display = _CVX.get(vaccine_code, ("213", vaccine_code))
    return {
        "resourceType": "Schedule",
        "id": schedule_id(site, vaccine_code, funding),
        "serviceType": SERVICE_TYPE,
        "actor": [{"reference": f"Location/{site.code}"}],
        "comment": f"{vaccine_code}; {funding}",
        "extension": [
            {
                "url": VACCINE_PRODUCT,
                "valueCoding": {"system": CVX, "code": code, "display": display},
            }
        ],
    }


def deep_link(booking_url: str, slot_id: int) -> str:
    return f"{booking_url}?{urlencode({'slot': slot_id})}"


def slots(row: Slot, site: Site, booking_url: str) -> list[dict[str, Any]]:
    """The session as aggregated Slots: free places (bookable) and taken places (busy)."""
    start, end = DaySession(row.session).hours
    base = {
        "resourceType": "Slot",
        "schedule": {"reference": f"Schedule/{schedule_id(site, row.vaccine_code, row.funding)}"},
        "start": datetime.combine(row.day, start, TAIPEI).isoformat(),
        "end": datetime.combine(row.day, end, TAIPEI).isoformat(),
    }
    free = 0 if row.closed_at is not None else row.capacity - row.booked
    parts = [("free", free), ("busy", row.capacity - free)]
    published = []
    for status, places in parts:
        if places <= 0:
            continue
        extension: list[dict[str, Any]] = []
        if status == "free":
            extension.append({"url": DEEP_LINK, "valueUrl": deep_link(booking_url, row.id)})
        if site.phone:
            extension.append({"url": BOOKING_PHONE, "valueString": site.phone})
        extension.append({"url": CAPACITY, "valueInteger": places})
        resource = base | {"id": fhir_id(str(row.id), status), "status": status}
        published.append(resource | {"extension": extension})
    return published
