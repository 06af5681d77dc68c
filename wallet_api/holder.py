"""The facts about the holder that holder access needs, read from an issued certificate.

Birth date: the signed DCC payload's ``dob`` (exactly what the QR carries, possibly
partial). National ID: the Patient's Taiwan national ID or resident permit (the
identifiers the Taiwan login uses; a passport number is not one). Contact: the Patient's
first mobile phone, else first e-mail, from ``telecom``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from profiles.identifiers import IdentifierKind, kind_of
from wallet_api.notify import Channel, Contact

_LOGIN_IDENTIFIERS = (IdentifierKind.NATIONAL_ID, IdentifierKind.RESIDENT_PERMIT)


@dataclass(frozen=True)
class HolderFacts:
    birth_date: str
    national_id: str | None
    contact: Contact | None


def facts_from(payload: dict[str, Any], bundle: dict[str, Any]) -> HolderFacts:
    patient = _patient(bundle)
    return HolderFacts(
        birth_date=str(payload.get("dob", "")),
        national_id=_national_id(patient),
        contact=_contact(patient),
    )


def _patient(bundle: dict[str, Any]) -> dict[str, Any]:
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {}) if isinstance(entry, dict) else {}
        if isinstance(resource, dict) and resource.get("resourceType") == "Patient":
            return resource
    return {}


def _national_id(patient: dict[str, Any]) -> str | None:
    for identifier in patient.get("identifier", []):
        system, value = identifier.get("system", ""), identifier.get("value")
        if isinstance(value, str) and kind_of(str(system)) in _LOGIN_IDENTIFIERS:
            return value
    return None


def _contact(patient: dict[str, Any]) -> Contact | None:
    telecom = [t for t in patient.get("telecom", []) if isinstance(t, dict)]
    for system, channel in (("phone", Channel.SMS), ("email", Channel.EMAIL)):
        for point in telecom:
            value = point.get("value")
            if point.get("system") == system and isinstance(value, str) and value.strip():
                if system == "phone" and point.get("use") not in (None, "mobile"):
                    continue
                return Contact(channel, value.strip()[:320])
    return None
