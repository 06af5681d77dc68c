"""Taiwan reference data: counties, identifiers with check digits, ROC dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from booking import taiwan
from booking.taiwan import IdType, normalise_person_id


def test_twenty_two_counties_with_unique_codes() -> None:
    assert len(taiwan.COUNTIES) == 22
    assert len({c.code for c in taiwan.COUNTIES}) == 22


@pytest.mark.parametrize("key", ["10002", "宜蘭縣", "Yilan County", "yilan county"])
def test_county_by_code_or_name(key: str) -> None:
    assert taiwan.county(key).code == "10002"


def test_tai_spelled_either_way() -> None:
    assert taiwan.county("台北市") == taiwan.county("臺北市")


@pytest.mark.parametrize(
    ("id_type", "value"),
    [
        (IdType.NATIONAL_ID, "a123456789"),
        (IdType.RESIDENT_PERMIT, "A800000014"),
        (IdType.PASSPORT, "X1234567"),
    ],
)
def test_valid_identifiers_normalise(id_type: IdType, value: str) -> None:
    assert normalise_person_id(id_type, value) == value.upper()


@pytest.mark.parametrize(
    ("id_type", "value", "match"),
    [
        pytest.param(IdType.NATIONAL_ID, "A123456788", "check digit", id="bad-check-digit"),
        pytest.param(IdType.NATIONAL_ID, "A323456789", "national ID is", id="bad-sex-digit"),
        pytest.param(IdType.NATIONAL_ID, "A12345678", "national ID is", id="too-short"),
        pytest.param(IdType.RESIDENT_PERMIT, "A800000015", "check digit", id="permit-check"),
        pytest.param(IdType.PASSPORT, "AB!", "passport", id="passport-charset"),
    ],
)
def test_invalid_identifiers_are_refused(id_type: IdType, value: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        normalise_person_id(id_type, value)


def test_taipei_date_crosses_midnight_before_utc() -> None:
    assert taiwan.taipei_date(datetime(2026, 11, 23, 16, 30, tzinfo=UTC)) == date(2026, 11, 24)
