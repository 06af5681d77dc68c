"""Immunization checks (Taiwan IG 2.2) and the DCC vaccination facts they yield."""

from __future__ import annotations

import re
from datetime import date

from profiles import valuesets
from profiles._internal.access import Json, codings, integer, items, obj, text
from profiles._internal.bundle import BundleView, Entry
from profiles._internal.codes import (
    check_code,
    check_country,
    institution_code,
    place_country,
    system_of,
)
from profiles._internal.recommendation import next_dose
from profiles.dates import local_date, parse_fhir_datetime
from profiles.outcome import Issues
from profiles.record import ProfilePolicy, VaccinationFacts

COVID19 = "840539006"
BOOSTER_SERIES = "booster"
_INSTITUTION = re.compile(r"[0-9]{10}")


def check_immunization(
    view: BundleView, entry: Entry, policy: ProfilePolicy, today: date, issues: Issues
) -> VaccinationFacts | None:
    raw, path = entry.raw, entry.path
    if raw.get("status") != "completed":
        issues.error(
            f"{path}.status",
            "Only a completed Immunization can be certified",
            "僅能為已完成 (completed) 的接種開立證明",
            code="business-rule",
        )
    vp, mp, ma = _vaccine(raw, path, policy, issues)
    _encoding(vp, mp, ma, path, policy, issues)
    doses = _doses(raw, path, issues)
    day = _occurrence(raw, path, today, issues)
    country = _place(view, raw, path, policy, issues)
    if policy.require_clinic_details:
        _clinic_details(view, raw, path, issues)
    target = _target(raw, path, issues)
    following = next_dose(view, entry, day, issues)
    if vp is None or mp is None or ma is None or doses is None or day is None:
        return None
    if country is None or target is None:
        return None
    return VaccinationFacts(target, vp, mp, ma, doses[0], doses[1], day, country, following)


def _vaccine(
    raw: Json, path: str, policy: ProfilePolicy, issues: Issues
) -> tuple[str | None, str | None, str | None]:
    """vp and mp from vaccineCode, ma from manufacturer; a Taiwan CDC code fills the ones the
    clinic left out (and must agree with those it gave)."""
    where = f"{path}.vaccineCode"
    concept = obj(raw, "vaccineCode")
    found: dict[str, str | None] = {"vp": None, "mp": None, "ma": _manufacturer(raw)}
    cdc = None
    for system, code in codings(concept):
        if system == valuesets.tw_cdc_system():
            cdc = _cdc(code, where, issues)
        elif system in system_of(valuesets.PROPHYLAXIS):
            found["vp"] = code
        elif system in system_of(valuesets.PRODUCT):
            found["mp"] = code
    for key, value in (cdc or {}).items():
        if found[key] is None:
            found[key] = value
        elif found[key] != value:
            issues.error(
                where,
                f"{key} {found[key]!r} contradicts the Taiwan CDC code",
                f"{key} {found[key]!r} 與疾管署疫苗代碼不符",
                code="invariant",
            )
    names = {"vp": valuesets.PROPHYLAXIS, "mp": valuesets.PRODUCT, "ma": valuesets.MANUFACTURER}
    wheres = {"vp": where, "mp": where, "ma": f"{path}.manufacturer"}
    out: list[str | None] = []
    for key in ("vp", "mp", "ma"):
        if found[key] is None:
            issues.error(
                wheres[key],
                f"No code from value set {names[key]}",
                f"缺少值集 {names[key]} 的代碼",
                code="required",
            )
        out.append(check_code(names[key], found[key], wheres[key], policy, issues))
    return out[0], out[1], out[2]


def _encoding(
    vp: str | None,
    mp: str | None,
    ma: str | None,
    path: str,
    policy: ProfilePolicy,
    issues: Issues,
) -> None:
    """vp and ma must be the ones the EU's encoding instructions give for the product mp."""
    rule = valuesets.encoding_instruction(mp) if mp else None
    if rule is None or vp is None or ma is None:
        return
    report = issues.error if policy.enforce_encoding_instructions else issues.warning
    if ma != rule.manufacturer:
        report(
            f"{path}.manufacturer",
            f"{mp} is encoded with manufacturer {rule.manufacturer}, not {ma}",
            f"{mp} 的製造商代碼應為 {rule.manufacturer}，而非 {ma}",
            code="invariant",
        )
    if vp not in rule.prophylaxis:
        allowed = ", ".join(sorted(rule.prophylaxis))
        report(
            f"{path}.vaccineCode",
            f"{mp} is encoded with vaccine type {allowed}, not {vp}",
            f"{mp} 的疫苗類型代碼應為 {allowed}，而非 {vp}",
            code="invariant",
        )


def _cdc(code: str, where: str, issues: Issues) -> dict[str, str] | None:
    vaccine = valuesets.tw_cdc_vaccine(code)
    if vaccine is None:
        issues.error(
            where,
            f"{code!r} is not in value set {valuesets.TW_CDC}",
            f"{code!r} 不在值集 {valuesets.TW_CDC} 中",
            code="code-invalid",
        )
        return None
    if vaccine.covid19 is None:
        issues.error(
            where,
            f"{vaccine.en} ({code}) is not a COVID-19 vaccine: no DCC exists",
            f"{vaccine.zh} ({code}) 非 COVID-19 疫苗，無法開立數位證明",
            code="not-supported",
        )
        return None
    return vaccine.covid19


def _manufacturer(raw: Json) -> str | None:
    ident = obj(obj(raw, "manufacturer"), "identifier")
    return text(ident, "value")


def _doses(raw: Json, path: str, issues: Issues) -> tuple[int, int] | None:
    """dn and sd as the DCC means them (EU booster convention, section 2.5 of the notes):
    dn > sd is legal for a booster after a one-dose series (2/1, 3/1) or when the protocol's
    ``series`` says "booster"; anything else above the series length is an error."""
    applied = items(raw, "protocolApplied")
    if not applied:
        issues.error(
            f"{path}.protocolApplied",
            "Dose number and series doses are required",
            "須填劑次與應接種劑數",
            code="required",
        )
        return None
    protocol, where = applied[0], f"{path}.protocolApplied[0]"
    dn, sd = integer(protocol, "doseNumberPositiveInt"), integer(protocol, "seriesDosesPositiveInt")
    for name, value in (("doseNumberPositiveInt", dn), ("seriesDosesPositiveInt", sd)):
        if value is None or value < 1:
            issues.error(
                f"{where}.{name}",
                f"{name} must be a positive integer",
                f"{name} 須為正整數",
                code="required",
            )
    if dn is None or sd is None or dn < 1 or sd < 1:
        return None
    booster = text(protocol, "series") == BOOSTER_SERIES or sd == 1
    if dn > sd and not booster:
        issues.error(
            f"{where}.doseNumberPositiveInt",
            f"Dose number {dn} is above series doses {sd}; a booster must say "
            f"series 'booster' or use the EU convention ({dn}/{dn})",
            f"劑次 {dn} 大於應接種劑數 {sd}；追加劑須標示 series 為 booster",
            code="business-rule",
        )
        return None
    return dn, sd


def _occurrence(raw: Json, path: str, today: date, issues: Issues) -> date | None:
    where = f"{path}.occurrenceDateTime"
    value = raw.get("occurrenceDateTime")
    if not isinstance(value, str):
        issues.error(
            where,
            "Vaccination date (occurrenceDateTime) is required",
            "須填接種日期 (occurrenceDateTime)",
            code="required",
        )
        return None
    try:
        day = local_date(parse_fhir_datetime(value))
    except ValueError as exc:
        issues.error(where, f"Vaccination date {value!r}: {exc}", f"接種日期 {value!r} 格式錯誤")
        return None
    if day > today:
        issues.error(
            where,
            f"Vaccination date {day} is in the future",
            f"接種日期 {day} 晚於今日",
            code="business-rule",
        )
        return None
    return day


def _place(
    view: BundleView, raw: Json, path: str, policy: ProfilePolicy, issues: Issues
) -> str | None:
    where = f"{path}.location"
    place = view.resolve(obj(raw, "location"))
    if place is None or place.resource_type not in ("Location", "Organization"):
        issues.error(
            where,
            "location must reference a Location or Organization in the Bundle",
            "location 須參照 Bundle 內的 Location 或 Organization",
            code="required",
        )
        return None
    country = check_country(place_country(place), f"{place.path}.address.country", policy, issues)
    if policy.require_clinic_details and country == "TW":
        code = institution_code(view, place)
        if code is None or not _INSTITUTION.fullmatch(code):
            issues.error(
                f"{place.path}.identifier",
                "The vaccinating institution needs its 10-digit MOHW institution code",
                "接種機構須有 10 碼醫事機構代碼",
                code="required",
            )
    return country


def _clinic_details(view: BundleView, raw: Json, path: str, issues: Issues) -> None:
    if text(raw, "lotNumber") is None:
        issues.error(f"{path}.lotNumber", "Lot number is required", "須填疫苗批號", code="required")
    actors = [view.resolve(obj(p, "actor")) for p in items(raw, "performer")]
    if not any(a is not None and a.resource_type == "Practitioner" for a in actors):
        issues.error(
            f"{path}.performer",
            "The health worker (Practitioner) is required",
            "須填施打醫事人員 (Practitioner)",
            code="required",
        )


def _target(raw: Json, path: str, issues: Issues) -> str | None:
    """COVID-19 unless protocolApplied.targetDisease says otherwise (which we cannot certify)."""
    for index, protocol in enumerate(items(raw, "protocolApplied")[:1]):
        for disease in items(protocol, "targetDisease"):
            codes = [code for _, code in codings(disease)]
            if codes and COVID19 not in codes:
                issues.error(
                    f"{path}.protocolApplied[{index}].targetDisease",
                    "Only COVID-19 (SNOMED 840539006) can be certified",
                    "僅能為 COVID-19 開立證明",
                    code="not-supported",
                )
                return None
    return COVID19
