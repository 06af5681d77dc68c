"""Patient identifier systems of TW Core and their format checks (with check digits).

- National ID (國民身分證統一編號): letter + ``1``/``2`` + 8 digits, mod-10 check digit.
- Resident permit (居留證統一證號), new format since 2021: letter + ``8``/``9`` + 8 digits,
  the same check digit as the national ID.
- Resident permit, old format: two letters (the second ``A``-``D``) + 8 digits; the second
  letter counts by the last digit of its letter number.
- Passport: ``http://hl7.org/fhir/sid/passport-XXX`` (ISO 3166 alpha-3 of the issuing state);
  Taiwan passports are 9 digits, other states' numbers are 1-20 letters and digits.
"""

from __future__ import annotations

import re
from enum import StrEnum

NATIONAL_ID_SYSTEM = "http://www.moi.gov.tw"
RESIDENT_PERMIT_SYSTEM = "http://www.immigration.gov.tw"
PASSPORT_SYSTEM_PREFIX = "http://hl7.org/fhir/sid/passport-"

#: Letter numbers of the Taiwan ID scheme (A=10 ... with the historical I, O, W, Z placements).
_LETTER_NUMBERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
_NATIONAL_ID = re.compile(r"[A-Z][12][0-9]{8}")
_NEW_RESIDENT = re.compile(r"[A-Z][89][0-9]{8}")
_OLD_RESIDENT = re.compile(r"[A-Z][A-D][0-9]{8}")
_TW_PASSPORT = re.compile(r"[0-9]{9}")
#: The shapes alone (no check digit), for callers that explain which part is wrong.
NATIONAL_ID_SHAPE = _NATIONAL_ID
RESIDENT_PERMIT_SHAPE = re.compile(f"{_NEW_RESIDENT.pattern}|{_OLD_RESIDENT.pattern}")
_OTHER_PASSPORT = re.compile(r"[A-Z0-9]{1,20}")
_ALPHA3 = re.compile(r"[A-Z]{3}")


class IdentifierKind(StrEnum):
    NATIONAL_ID = "national-id"
    RESIDENT_PERMIT = "resident-permit"
    PASSPORT = "passport"


def _weighted_sum(first_letter: str, rest: str) -> int:
    """Letter number as two digits (weights 1, 9) then digits with weights 8..1, 1."""
    number = _LETTER_NUMBERS[first_letter]
    total = number // 10 + (number % 10) * 9
    digits = [int(c) for c in rest]
    weights = [8, 7, 6, 5, 4, 3, 2, 1, 1]
    return total + sum(d * w for d, w in zip(digits, weights, strict=True))


def national_id_ok(value: str) -> bool:
    """True when ``value`` is a national ID with a correct check digit (``A123456789``)."""
    return bool(_NATIONAL_ID.fullmatch(value)) and _weighted_sum(value[0], value[1:]) % 10 == 0


def resident_permit_ok(value: str) -> bool:
    """True for a resident permit number in the new (``A800000014``) or old (``FA12345689``)
    format with a correct check digit."""
    if _NEW_RESIDENT.fullmatch(value):
        return _weighted_sum(value[0], value[1:]) % 10 == 0
    if _OLD_RESIDENT.fullmatch(value):
        second = _LETTER_NUMBERS[value[1]] % 10
        return _weighted_sum(value[0], f"{second}{value[2:]}") % 10 == 0
    return False


def passport_ok(system: str, value: str) -> bool:
    """True for a passport number that fits its issuing state's format (Taiwan: 9 digits)."""
    state = system.removeprefix(PASSPORT_SYSTEM_PREFIX)
    if not _ALPHA3.fullmatch(state):
        return False
    pattern = _TW_PASSPORT if state == "TWN" else _OTHER_PASSPORT
    return bool(pattern.fullmatch(value))


def kind_of(system: str) -> IdentifierKind | None:
    """Which kind of identifier a system URI denotes; ``None`` for systems we do not know."""
    if system == NATIONAL_ID_SYSTEM:
        return IdentifierKind.NATIONAL_ID
    if system == RESIDENT_PERMIT_SYSTEM:
        return IdentifierKind.RESIDENT_PERMIT
    if system.startswith(PASSPORT_SYSTEM_PREFIX):
        return IdentifierKind.PASSPORT
    return None


def identifier_ok(system: str, value: str) -> bool:
    """Format (and check digit) of ``value`` under ``system``; unknown systems fail."""
    kind = kind_of(system)
    if kind is IdentifierKind.NATIONAL_ID:
        return national_id_ok(value)
    if kind is IdentifierKind.RESIDENT_PERMIT:
        return resident_permit_ok(value)
    if kind is IdentifierKind.PASSPORT:
        return passport_ok(system, value)
    return False
