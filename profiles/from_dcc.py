"""EU DCC JSON payload -> a Taiwan IG Bundle, for display and for importing certificates
issued abroad. ``parse_bundle(from_dcc(p), policy=ProfilePolicy.imported())`` followed by
``to_dcc`` gives ``p`` back (see tests/conformance/test_dcc_roundtrip.py for the list of
normalisations).

The Bundle carries what the DCC carries and nothing more: no national ID, gender, lot number
or health worker (the DCC leaves them out on purpose), so it validates under
``ProfilePolicy.imported()`` rather than the strict clinic policy.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from profiles import valuesets
from profiles._internal.immunization import BOOSTER_SERIES
from profiles._internal.observation import (
    DETECTED,
    DEVICE_SYSTEM,
    LOINC,
    NAAT,
    RAT,
    RECOVERY_VALIDITY_URL,
    SNOMED,
)
from profiles.dates import parse_fhir_datetime
from profiles.dcc import validate_dcc
from profiles.errors import DccInvalid
from profiles.service import UVCI_SYSTEM

#: LOINC codes for Observation.code: what was measured, by test type.
NAAT_CODE = {
    "system": LOINC,
    "code": "94309-2",
    "display": "SARS-CoV-2 (COVID-19) RNA [Presence] in Specimen by NAA with probe detection",
}
RAT_CODE = {
    "system": LOINC,
    "code": "94558-4",
    "display": "SARS-CoV-2 (COVID-19) Ag [Presence] in Respiratory specimen by Rapid immunoassay",
}
_NAMESPACE = uuid.UUID("2b6f0cf2-7c4a-4c43-9d7a-8f3b1a0c5e11")


def from_dcc(payload: dict[str, Any]) -> dict[str, Any]:
    """The Taiwan IG Bundle (type ``collection``) for a DCC payload; ``DccInvalid`` first if
    the payload breaks the schema or the value sets."""
    validate_dcc(payload)
    group = next(payload[k][0] for k in ("v", "t", "r") if k in payload)
    urls = _Urls(group["ci"])
    patient = _patient(payload)
    if "v" in payload:
        entries = _vaccination(_present(payload["v"][0]), urls)
    elif "t" in payload:
        entries = _test(_present(payload["t"][0]), urls)
    else:
        entries = _recovery(_present(payload["r"][0]), urls)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "identifier": {
            "system": UVCI_SYSTEM,
            "value": group["ci"],
            "assigner": {"display": group["is"]},
        },
        "entry": [{"fullUrl": urls.patient, "resource": patient}, *entries],
    }


class _Urls:
    """Stable urn:uuid fullUrls derived from the UVCI, so the same payload maps to the same
    Bundle."""

    def __init__(self, ci: str) -> None:
        self.patient, self.event, self.place = (
            f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{ci}/{part}')}" for part in ("p", "e", "l")
        )


def _coding(value_set_name: str, code: str) -> dict[str, str]:
    concept = valuesets.value_set(value_set_name).get(code)
    system = concept.system if concept else ""
    return {"system": system, "code": code}


def fhir_birth_date(dob: str) -> str:
    """Some issuers write an unknown month or day as ``00`` (``1963-00``), which the schema's
    pattern lets through; FHIR says the same thing with a partial date (``1963``)."""
    parts = dob.split("-")
    while len(parts) > 1 and parts[-1] == "00":
        parts.pop()
    if len(parts) == 3 and parts[1] == "00":
        parts = parts[:1]
    return "-".join(parts)


def _present(group: dict[str, Any]) -> dict[str, Any]:
    """The fields that carry a value: FHIR has no empty strings, so ``"ma": ""`` is absent."""
    return {key: value for key, value in group.items() if value != ""}


def _patient(payload: dict[str, Any]) -> dict[str, Any]:
    nam = _present(payload["nam"])
    native = _human_name(nam.get("fn"), nam.get("gn"))
    passport = _human_name(_spelled(nam.get("fnt")), _spelled(nam.get("gnt")))
    if len(passport) == 1:
        raise DccInvalid("nam carries neither fnt nor gnt", problems=["nam.fnt/nam.gnt empty"])
    readable = native if len(native) > 1 else passport
    native["text"] = " ".join([readable.get("family", ""), *readable.get("given", [])]).strip()
    patient: dict[str, Any] = {"resourceType": "Patient", "name": [native, passport]}
    if payload.get("dob"):
        patient["birthDate"] = fhir_birth_date(payload["dob"])
    return patient


def _spelled(transliterated: str | None) -> str | None:
    """``MEI<HUA`` -> ``MEI HUA`` (the passport spelling; ``<`` is ICAO's filler)."""
    if transliterated is None:
        return None
    return transliterated.replace("<", " ").strip() or None


def _human_name(family: str | None, given: str | None) -> dict[str, Any]:
    name: dict[str, Any] = {"use": "official"}
    if family and family.strip():
        name["family"] = family
    if given and given.strip():
        name["given"] = [given]
    return name


def _vaccination(v: dict[str, Any], urls: _Urls) -> list[dict[str, Any]]:
    protocol: dict[str, Any] = {
        "targetDisease": [{"coding": [_coding(valuesets.DISEASE, v["tg"])]}],
        "doseNumberPositiveInt": v["dn"],
        "seriesDosesPositiveInt": v["sd"],
    }
    if v["dn"] > v["sd"]:
        protocol["series"] = BOOSTER_SERIES
    ma = _coding(valuesets.MANUFACTURER, v["ma"])
    immunization = {
        "resourceType": "Immunization",
        "status": "completed",
        "vaccineCode": {
            "coding": [_coding(valuesets.PROPHYLAXIS, v["vp"]), _coding(valuesets.PRODUCT, v["mp"])]
        },
        "patient": {"reference": urls.patient},
        "occurrenceDateTime": v["dt"],
        "location": {"reference": urls.place},
        "manufacturer": {"identifier": {"system": ma["system"], "value": ma["code"]}},
        "protocolApplied": [protocol],
    }
    location = {"resourceType": "Location", "address": {"country": v["co"]}}
    return [
        {"fullUrl": urls.event, "resource": immunization},
        {"fullUrl": urls.place, "resource": location},
    ]


def _lab(result: str, urls: _Urls, method: str, effective: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "laboratory",
                    }
                ]
            }
        ],
        "code": {"coding": [RAT_CODE if method == RAT else NAAT_CODE]},
        "subject": {"reference": urls.patient},
        "effectiveDateTime": effective,
        "performer": [{"reference": urls.place}],
        "method": {"coding": [_coding(valuesets.TEST_TYPE, method)]},
        "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": result}]},
    }


def _fhir_datetime(dcc_value: str) -> str:
    """The DCC allows offsets FHIR does not (``+02``, ``+0200``): rewrite as ``+02:00``."""
    moment = datetime.fromisoformat(dcc_value.replace("Z", "+00:00"))
    text = moment.isoformat().replace("+00:00", "Z")
    parse_fhir_datetime(text)
    return text


def _test(t: dict[str, Any], urls: _Urls) -> list[dict[str, Any]]:
    observation = _lab(t["tr"], urls, t["tt"], _fhir_datetime(t["sc"]))
    device: dict[str, Any] = {}
    if "ma" in t:
        device["identifier"] = {"system": DEVICE_SYSTEM, "value": t["ma"]}
    if "nm" in t:
        device["display"] = t["nm"]
    if device:
        observation["device"] = device
    centre: dict[str, Any] = {"resourceType": "Organization", "address": [{"country": t["co"]}]}
    if "tc" in t:
        centre["name"] = t["tc"]
    return [
        {"fullUrl": urls.event, "resource": observation},
        {"fullUrl": urls.place, "resource": centre},
    ]


def _recovery(r: dict[str, Any], urls: _Urls) -> list[dict[str, Any]]:
    observation = _lab(DETECTED, urls, NAAT, r["fr"])
    observation["extension"] = [
        {"url": RECOVERY_VALIDITY_URL, "valuePeriod": {"start": r["df"], "end": r["du"]}}
    ]
    centre = {"resourceType": "Organization", "address": [{"country": r["co"]}]}
    return [
        {"fullUrl": urls.event, "resource": observation},
        {"fullUrl": urls.place, "resource": centre},
    ]
