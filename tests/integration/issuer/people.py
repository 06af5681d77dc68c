"""Many valid Bundles: the shared vaccination example, one distinct person per copy.

Batch and fault tests need more certificates than one example holds; each copy keeps the
example's dose and clinic and changes who was vaccinated (a valid national ID, a birth date,
a name), so every item is a real, separate record.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from tests.integration.booking.conftest import national_id


def person_bundles(example: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """``count`` copies of ``example``, person ``i`` with national ID serial ``i``."""
    return [_for_person(example, serial) for serial in range(count)]


def _for_person(example: dict[str, Any], serial: int) -> dict[str, Any]:
    bundle = copy.deepcopy(example)
    born = date(1950, 1, 1) + timedelta(days=serial * 97 % 18000)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] != "Patient":
            continue
        resource["identifier"][0]["value"] = national_id(serial)
        resource["birthDate"] = born.isoformat()
        resource["name"][0].update(
            {"text": f"測試{serial}", "family": "測", "given": [f"試{serial}"]}
        )
        given = f"PERSON-{_letters(serial)}"
        resource["name"][1].update({"text": f"TEST, {given}", "family": "TEST", "given": [given]})
    return bundle


def _letters(serial: int) -> str:
    """``serial`` in base 26 letters: DCC standardised names take A-Z only, no digits."""
    letters = ""
    while True:
        serial, digit = divmod(serial, 26)
        letters = chr(ord("A") + digit) + letters
        if not serial:
            return letters
