"""What the paper certificate shows, read from a register row: the fields a person checks
by eye, each labelled in Traditional Chinese and English, with code values spelled out
through the EU value sets (profiles carries them with their Chinese names)."""

from __future__ import annotations

from typing import Any

from issuer.paper import Field
from profiles import display_name

COUNTRY = "country-2-codes"
COUNTRY_NAMES = {"TW": "Taiwan  臺灣"}
"""How the issuing country names itself on its own certificates (the EU value set's
display for TW is an ISO 3166 short name that the issuer does not print)."""


def fields(payload: dict[str, Any], bundle: dict[str, Any]) -> list[Field]:
    """The printed fields of a DCC ``payload`` (``bundle`` gives the English name as written)."""
    name = payload.get("nam", {})
    person = [
        Field("姓名", "Name", f"{name.get('fn', '')}{name.get('gn', '')}"),
        Field("英文姓名", "Name (English)", _english_name(bundle, name)),
        Field("出生日期", "Date of birth", str(payload.get("dob", ""))),
    ]
    if payload.get("v"):
        return person + _vaccination(payload["v"][0])
    if payload.get("t"):
        return person + _test(payload["t"][0])
    return person + _recovery(payload["r"][0])


def _vaccination(entry: dict[str, Any]) -> list[Field]:
    return [
        Field("疫苗", "Vaccine", _both("vaccine-medicinal-product", entry["mp"])),
        Field("劑次", "Dose", f"{entry['dn']} / {entry['sd']}"),
        Field("接種日期", "Date of vaccination", entry["dt"]),
        *_common(entry),
    ]


def _test(entry: dict[str, Any]) -> list[Field]:
    return [
        Field("檢驗方式", "Type of test", _both("test-type", entry["tt"])),
        Field("檢驗結果", "Test result", _both("test-result", entry["tr"])),
        Field("採檢時間", "Sample collected", entry["sc"]),
        Field("檢驗機構", "Testing centre", entry.get("tc", "")),
        *_common(entry),
    ]


def _recovery(entry: dict[str, Any]) -> list[Field]:
    return [
        Field("首次陽性日期", "First positive result", entry["fr"]),
        Field("有效期間", "Valid", f"{entry['df']} – {entry['du']}"),
        *_common(entry),
    ]


def _common(entry: dict[str, Any]) -> list[Field]:
    return [
        Field("國家", "Country", COUNTRY_NAMES.get(entry["co"]) or _both(COUNTRY, entry["co"])),
        Field("發證機構", "Issuer", entry["is"]),
        Field("證書識別碼", "Certificate identifier", entry["ci"]),
    ]


def _both(value_set: str, code: str) -> str:
    """``English 中文`` display names of ``code``; the code itself when it is unknown."""
    english = display_name(value_set, code, "en")
    chinese = display_name(value_set, code, "zh-TW")
    if english is None:
        return code
    return english if chinese in (None, english) else f"{english}  {chinese}"


def _english_name(bundle: dict[str, Any], name: dict[str, Any]) -> str:
    """The Latin-script name as the Patient resource writes it, else the ICAO form."""
    for entry in bundle.get("entry", []):
        resource = entry.get("resource", {})
        if resource.get("resourceType") != "Patient":
            continue
        for human in resource.get("name", []):
            text = human.get("text") or ""
            if text and text.isascii():
                return str(text)
    latin = ", ".join(p for p in (name.get("fnt"), name.get("gnt")) if p)
    return latin.replace("<", " ")
