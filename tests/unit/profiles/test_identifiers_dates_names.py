"""Identifier check digits, ROC dates, Taipei local dates and ICAO transliteration."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from profiles import identifiers, parse_roc_date
from profiles.dates import DateInvalid, local_date, parse_fhir_datetime
from profiles.icao import transliterate
from vaxx.errors import InputError


@pytest.mark.parametrize("value", ["A123456789", "B123456780", "Z299999992"])
def test_valid_national_ids(value: str) -> None:
    assert identifiers.national_id_ok(value)


@pytest.mark.parametrize(
    "value",
    ["A123456788", "a123456789", "A323456789", "A12345678", "A1234567890", "1123456789", ""],
    ids=["check-digit", "lower-case", "third-sex-digit", "short", "long", "no-letter", "empty"],
)
def test_invalid_national_ids(value: str) -> None:
    assert not identifiers.national_id_ok(value)


def test_every_wrong_check_digit_is_rejected() -> None:
    """Exactly one of the ten possible last digits is right."""
    good = [d for d in "0123456789" if identifiers.national_id_ok(f"A12345678{d}")]
    assert good == ["9"]


@pytest.mark.parametrize("value", ["FA12345689", "A800000014"], ids=["old", "new"])
def test_valid_resident_permits(value: str) -> None:
    assert identifiers.resident_permit_ok(value)


@pytest.mark.parametrize(
    "value",
    ["FA12345688", "FE12345689", "A800000015", "A123456789"],
    ids=["old-check-digit", "old-second-letter", "new-check-digit", "national-id-is-not-a-permit"],
)
def test_invalid_resident_permits(value: str) -> None:
    assert not identifiers.resident_permit_ok(value)


@pytest.mark.parametrize(
    ("system", "value", "ok"),
    [
        ("http://hl7.org/fhir/sid/passport-TWN", "312345678", True),
        ("http://hl7.org/fhir/sid/passport-TWN", "31234567A", False),
        ("http://hl7.org/fhir/sid/passport-DEU", "C01X00T47", True),
        ("http://hl7.org/fhir/sid/passport-DE", "C01X00T47", False),
        ("http://example.org/id", "A123456789", False),
    ],
)
def test_passports_and_unknown_systems(system: str, value: str, ok: bool) -> None:
    assert identifiers.identifier_ok(system, value) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("110/05/27", date(2021, 5, 27)),
        ("074/11/08", date(1985, 11, 8)),
        ("001/01/01", date(1912, 1, 1)),
        ("109/02/29", date(2020, 2, 29)),
        ("110-08-02", date(2021, 8, 2)),
        ("110.08.02", date(2021, 8, 2)),
        ("1100802", date(2021, 8, 2)),
        ("0741108", date(1985, 11, 8)),
    ],
)
def test_roc_dates(text: str, expected: date) -> None:
    assert parse_roc_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["110/13/01", "110/02/29", "000/01/01", "2021/05/27", "110/05-27", "11005", "", "abc"],
    ids=[
        "month-13",
        "not-leap",
        "year-0",
        "gregorian",
        "mixed-separators",
        "short",
        "empty",
        "junk",
    ],
)
def test_bad_roc_dates_are_input_errors(text: str) -> None:
    with pytest.raises(InputError, match=r"ROC|calendar"):
        parse_roc_date(text)
    with pytest.raises(DateInvalid):
        parse_roc_date(text)


def test_taipei_local_date_is_not_the_utc_date() -> None:
    """23:30 UTC on 1 Aug is 07:30 on 2 Aug in Taipei: dt must say 2 Aug."""
    moment = parse_fhir_datetime("2021-08-01T23:30:00Z")
    assert isinstance(moment, datetime)
    assert moment.astimezone(UTC).date() == date(2021, 8, 1)
    assert local_date(moment) == date(2021, 8, 2)
    assert local_date(date(2021, 8, 1)) == date(2021, 8, 1)


@pytest.mark.parametrize("text", ["2021-08-01T10:00:00", "2021-08", "2021"])
def test_dates_without_offset_or_day_are_refused_for_events(text: str) -> None:
    with pytest.raises(ValueError, match=r"offset|day"):
        parse_fhir_datetime(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mei-Hua", "MEI<HUA"),
        ("HSIAO-MING", "HSIAO<MING"),
        ("Müller", "MUELLER"),
        ("Gößinger", "GOESSINGER"),
        ("Ølsen", "OELSEN"),
        ("Åsa", "AASA"),
        ("José María", "JOSE<MARIA"),
        ("D'Arcy", "DARCY"),
        ("Иванов", "IVANOV"),
        ("Щукин", "SHCHUKIN"),
        ("  lin  ", "LIN"),
    ],
)
def test_icao_transliteration(name: str, expected: str) -> None:
    assert transliterate(name) == expected


def test_transliteration_is_capped_at_80_characters() -> None:
    assert transliterate("A" * 100) == "A" * 80


def test_chinese_cannot_be_transliterated() -> None:
    with pytest.raises(ValueError, match="no transliteration"):
        transliterate("林美華")
