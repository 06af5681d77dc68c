"""Property tests: generated valid DCC payloads survive DCC -> FHIR -> DCC unchanged, and
generated clinic Bundles survive FHIR -> DCC -> FHIR -> DCC.

Bounded (``max_examples`` 60) so CI stays fast; no deadline, since timing is not what is tested.
"""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from profiles import ProfilePolicy, from_dcc, parse_bundle, to_dcc, validate_dcc, valuesets
from profiles.identifiers import national_id_ok

TODAY = date(2030, 1, 1)
BOUNDED = settings(max_examples=60, deadline=None)


def _active(name: str) -> list[str]:
    return sorted(c.code for c in valuesets.value_set(name).concepts.values() if c.active)


LATIN = string.ascii_letters + "ÄÖÜäöüßéèçñøåÉ"
CJK = "陳林王李張黃吳劉蔡楊美華小明志強淑芬"
words = st.text(alphabet=LATIN + CJK, min_size=1, max_size=12)
native_name = st.lists(words, min_size=1, max_size=3).map(" ".join)
icao_name = st.lists(
    st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=10), min_size=1, max_size=3
).map("<".join)
days = st.dates(min_value=date(2021, 1, 1), max_value=date(2025, 12, 31))
short_text = (
    st.text(alphabet=string.ascii_letters + string.digits + " ,.-", min_size=1, max_size=80)
    .map(str.strip)
    .filter(bool)
)
uvci = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=10, max_size=25).map(
    lambda s: f"URN:UVCI:01:TW:{s}"
)


@st.composite
def birth_dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)))
    precision = draw(st.sampled_from([10, 7, 4, 0]))  # 0: "" (unknown, allowed by the DCC)
    return day.isoformat()[:precision]


@st.composite
def names(draw: st.DrawFn) -> dict[str, str]:
    nam: dict[str, str] = {}
    if draw(st.booleans()):
        nam["fn"] = draw(native_name)
    if draw(st.booleans()):
        nam["gn"] = draw(native_name)
    transliterated = draw(st.sampled_from([("fnt",), ("gnt",), ("fnt", "gnt")]))
    for key in transliterated:
        nam[key] = draw(icao_name)
    return nam


@st.composite
def sample_times(draw: st.DrawFn) -> str:
    day = draw(days)
    seconds = draw(st.integers(0, 86399))
    offset = draw(st.sampled_from([0, 1, 2, 8, -5, 5.5]))
    zone = timezone(timedelta(hours=offset))
    moment = datetime.combine(day, datetime.min.time(), zone) + timedelta(seconds=seconds)
    if offset == 0:
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def _tail(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "co": draw(st.sampled_from(_active(valuesets.COUNTRY))),
        "is": draw(short_text),
        "ci": draw(uvci),
    }


@st.composite
def vaccinations(draw: st.DrawFn) -> dict[str, Any]:
    tail = _tail(draw)
    return {
        "tg": "840539006",
        "vp": draw(st.sampled_from(_active(valuesets.PROPHYLAXIS))),
        "mp": draw(st.sampled_from(_active(valuesets.PRODUCT))),
        "ma": draw(st.sampled_from(_active(valuesets.MANUFACTURER))),
        "dn": draw(st.integers(1, 9)),
        "sd": draw(st.integers(1, 9)),
        "dt": draw(days).isoformat(),
        "co": tail["co"],
        "is": tail["is"],
        "ci": tail["ci"],
    }


@st.composite
def lab_results(draw: st.DrawFn) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "tg": "840539006",
        "tt": draw(st.sampled_from(["LP6464-4", "LP217198-3"])),
    }
    if draw(st.booleans()):
        entry["nm"] = draw(short_text)
    if entry["tt"] == "LP217198-3" and draw(st.booleans()):
        entry["ma"] = draw(st.sampled_from(_active(valuesets.TEST_DEVICE)))
    entry["sc"] = draw(sample_times())
    entry["tr"] = draw(st.sampled_from(["260415000", "260373001"]))
    if draw(st.booleans()):
        entry["tc"] = draw(short_text)
    return {**entry, **_tail(draw)}


@st.composite
def recoveries(draw: st.DrawFn) -> dict[str, Any]:
    first = draw(days)
    valid_from = first + timedelta(days=draw(st.integers(0, 30)))
    valid_until = valid_from + timedelta(days=draw(st.integers(0, 365)))
    tail = _tail(draw)
    return {
        "tg": "840539006",
        "fr": first.isoformat(),
        "co": tail["co"],
        "is": tail["is"],
        "df": valid_from.isoformat(),
        "du": valid_until.isoformat(),
        "ci": tail["ci"],
    }


@st.composite
def payloads(draw: st.DrawFn) -> dict[str, Any]:
    group, strategy = draw(
        st.sampled_from([("v", vaccinations()), ("t", lab_results()), ("r", recoveries())])
    )
    return {
        "ver": "1.3.0",
        "nam": draw(names()),
        "dob": draw(birth_dates()),
        group: [draw(strategy)],
    }


@BOUNDED
@given(payloads())
def test_dcc_to_fhir_to_dcc_is_the_identity(payload: dict[str, Any]) -> None:
    validate_dcc(payload)
    record = parse_bundle(from_dcc(payload), today=TODAY, policy=ProfilePolicy.imported())
    assert record.uvci is not None
    assert record.issuer is not None
    assert to_dcc(record, uvci=record.uvci, issuer=record.issuer) == payload


@st.composite
def national_ids(draw: st.DrawFn) -> str:
    stem = draw(st.sampled_from(string.ascii_uppercase)) + draw(st.sampled_from("12"))
    stem += draw(st.text(alphabet=string.digits, min_size=7, max_size=7))
    return next(stem + d for d in string.digits if national_id_ok(stem + d))


def _instructed_products() -> set[str]:
    """Active products whose EU encoding instruction uses active manufacturer and vp codes."""
    out = set()
    active_vp = set(_active(valuesets.PROPHYLAXIS))
    for product in _active(valuesets.PRODUCT):
        rule = valuesets.encoding_instruction(product)
        if (
            rule
            and rule.manufacturer in _active(valuesets.MANUFACTURER)
            and (rule.prophylaxis & active_vp)
        ):
            out.add(product)
    return out


@st.composite
def clinic_bundles(draw: st.DrawFn) -> dict[str, Any]:
    """A Taiwan clinic's vaccination Bundle: everything the strict policy demands."""
    v = draw(vaccinations())
    product = draw(st.sampled_from(sorted(_instructed_products())))
    rule = valuesets.encoding_instruction(product)
    assert rule is not None
    v |= {
        "mp": product,
        "ma": rule.manufacturer,
        "vp": draw(st.sampled_from(sorted(rule.prophylaxis & set(_active(valuesets.PROPHYLAXIS))))),
    }
    family, given_name = (
        draw(st.sampled_from(["陳", "林", "王"])),
        draw(st.sampled_from(["小明", "美華"])),
    )
    passport = draw(icao_name)
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": "http://www.moi.gov.tw", "value": draw(national_ids())}],
        "name": [
            {
                "use": "official",
                "text": family + given_name,
                "family": family,
                "given": [given_name],
            },
            {"use": "official", "family": passport.replace("<", " ")},
        ],
        "gender": draw(st.sampled_from(["male", "female"])),
        "birthDate": draw(birth_dates().filter(bool)),
        "address": [{"country": "TW"}],
    }
    org = {
        "resourceType": "Organization",
        "name": "衛生所",
        "address": [{"country": "TW"}],
        "identifier": [
            {
                "value": draw(st.text(alphabet=string.digits, min_size=10, max_size=10)),
                "system": "https://twcore.mohw.gov.tw/ig/twcore/CodeSystem/"
                "organization-identifier-tw",
            }
        ],
    }
    bundle = from_dcc(
        {
            "ver": "1.3.0",
            "nam": {"fnt": passport},
            "dob": patient["birthDate"],
            "v": [{**v, "co": "TW"}],
        }
    )
    bundle["entry"][0]["resource"] = patient
    bundle["entry"][2] = {"fullUrl": bundle["entry"][2]["fullUrl"], "resource": org}
    immunization = bundle["entry"][1]["resource"]
    immunization["lotNumber"] = draw(
        st.text(alphabet=string.ascii_uppercase + string.digits, min_size=4, max_size=8)
    )
    immunization["performer"] = [{"actor": {"reference": "urn:uuid:practitioner"}}]
    bundle["entry"].append(
        {
            "fullUrl": "urn:uuid:practitioner",
            "resource": {"resourceType": "Practitioner", "name": [{"text": "王美玲"}]},
        }
    )
    del bundle["identifier"]
    return bundle


@BOUNDED
@given(clinic_bundles())
def test_clinic_bundle_to_dcc_and_back_keeps_the_payload(bundle: dict[str, Any]) -> None:
    record = parse_bundle(bundle, today=TODAY)
    first = to_dcc(record, uvci="URN:UVCI:01:TW:ABCDEFGHIJ", issuer="CDC")
    again = parse_bundle(from_dcc(first), today=TODAY, policy=ProfilePolicy.imported())
    assert to_dcc(again, uvci="URN:UVCI:01:TW:ABCDEFGHIJ", issuer="CDC") == first
    assert first["nam"]["fn"] == bundle["entry"][0]["resource"]["name"][0]["family"]
