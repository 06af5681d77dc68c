"""Patient checks (Taiwan IG 2.1): names, identifiers, gender, nationality, birth date."""

from __future__ import annotations

import re
from datetime import date

from profiles import icao, identifiers, valuesets
from profiles._internal.access import Json, items, strings, text
from profiles._internal.bundle import Entry
from profiles.dates import earliest_day
from profiles.outcome import Issues
from profiles.record import Person, ProfilePolicy

MAX_NAME = 80
GENDERS = frozenset({"male", "female", "other", "unknown"})
#: FHIR partial date restricted to the DCC's 1900-2099 range.
_BIRTH_DATE = re.compile(r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?")


def check_patient(
    entry: Entry, policy: ProfilePolicy, today: date, issues: Issues
) -> Person | None:
    raw, path = entry.raw, entry.path
    names = _names(raw, path, policy, issues)
    birth = _birth_date(raw, path, today, policy, issues)
    if policy.require_clinic_details:
        _identifiers(raw, path, issues)
        _gender(raw, path, issues)
    _nationality(raw, path, policy, issues)
    if names is None or birth is None:
        return None
    return Person(*names, birth_date=birth)


def _names(
    raw: Json, path: str, policy: ProfilePolicy, issues: Issues
) -> tuple[str | None, str | None, str | None, str | None] | None:
    """Name 0 is the name in its original script (DCC fn/gn); name 1, if present, is the
    passport spelling (fnt/gnt). With one name, the passport spelling is transliterated from it."""
    names = items(raw, "name")
    usable = [n for n in names if text(n, "text") or text(n, "family") or strings(n, "given")]
    if not names or len(usable) != len(names):
        issues.error(
            f"{path}.name",
            "Patient name is missing or empty",
            "病人姓名缺漏或空白",
            code="required",
        )
        return None
    native = names[0]
    family, given = text(native, "family"), _joined(native)
    if policy.require_clinic_details and family is None:
        issues.error(
            f"{path}.name[0].family",
            "Family name (surname) is required",
            "須填姓氏",
            code="required",
        )
    for part, value in (("family", family), ("given", given)):
        if value is not None and len(value) > MAX_NAME:
            issues.error(
                f"{path}.name[0].{part}",
                f"Name part longer than {MAX_NAME} characters (the DCC limit)",
                f"姓名超過 {MAX_NAME} 字元 (DCC 上限)",
            )
            return None
    passport_index = 1 if len(names) > 1 else 0
    family_t, given_t = _transliterated(
        names[passport_index], f"{path}.name[{passport_index}]", issues
    )
    if family_t is None and given_t is None:
        issues.error(
            f"{path}.name[{passport_index}]",
            "The passport name (Latin letters) is required for the DCC fnt/gnt",
            "須填護照英文姓名 (DCC fnt/gnt)",
            code="required",
        )
        return None
    return family, given, family_t, given_t


def _joined(name: Json) -> str | None:
    given = strings(name, "given")
    return " ".join(g.strip() for g in given) if given else None


def _transliterated(name: Json, path: str, issues: Issues) -> tuple[str | None, str | None]:
    out: list[str | None] = []
    for part, value in (("family", text(name, "family")), ("given", _joined(name))):
        if value is None:
            out.append(None)
            continue
        try:
            out.append(icao.transliterate(value) or None)
        except ValueError as exc:
            issues.error(
                f"{path}.{part}",
                f"Passport name cannot be transliterated: {exc}",
                f"護照姓名無法依 ICAO 9303 轉寫：{value}",
                code="value",
            )
            out.append(None)
    return out[0], out[1]


def _birth_date(
    raw: Json, path: str, today: date, policy: ProfilePolicy, issues: Issues
) -> str | None:
    """The birth date as written; ``""`` (the DCC's "unknown") only for imported records."""
    value = raw.get("birthDate")
    if value is None and not policy.require_clinic_details:
        return ""
    if not isinstance(value, str):
        issues.error(f"{path}.birthDate", "Birth date is required", "須填出生日期", code="required")
        return None
    if not _BIRTH_DATE.fullmatch(value):
        issues.error(
            f"{path}.birthDate",
            f"Birth date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD within 1900-2099",
            f"出生日期 {value!r} 格式須為 YYYY、YYYY-MM 或 YYYY-MM-DD (1900-2099)",
        )
        return None
    try:
        day = earliest_day(value)
    except ValueError:
        issues.error(
            f"{path}.birthDate",
            f"Birth date {value!r} is not a calendar date",
            f"出生日期 {value!r} 不是有效日期",
        )
        return None
    if day > today:
        issues.error(
            f"{path}.birthDate",
            f"Birth date {value} is in the future",
            f"出生日期 {value} 晚於今日",
            code="business-rule",
        )
        return None
    return value


def _identifiers(raw: Json, path: str, issues: Issues) -> None:
    recognised = 0
    for index, ident in enumerate(items(raw, "identifier")):
        system, value = text(ident, "system"), text(ident, "value")
        if system is None or identifiers.kind_of(system) is None:
            continue
        recognised += 1
        if value is None or not identifiers.identifier_ok(system, value):
            kind = identifiers.kind_of(system)
            issues.error(
                f"{path}.identifier[{index}].value",
                f"{value!r} is not a valid {kind} number (format or check digit)",
                f"{value!r} 不是有效的{_ZH_KIND[str(kind)]}號碼 (格式或檢查碼錯誤)",
            )
    if recognised == 0:
        issues.error(
            f"{path}.identifier",
            "A national ID, resident permit or passport number is required",
            "須提供身分證、居留證或護照號碼",
            code="required",
        )


_ZH_KIND = {"national-id": "身分證", "resident-permit": "居留證", "passport": "護照"}


def _gender(raw: Json, path: str, issues: Issues) -> None:
    gender = raw.get("gender")
    if not isinstance(gender, str) or gender not in GENDERS:
        issues.error(
            f"{path}.gender",
            "Gender must be male, female, other or unknown",
            "性別須為 male、female、other 或 unknown",
            code="required",
        )


def _nationality(raw: Json, path: str, policy: ProfilePolicy, issues: Issues) -> None:
    """The IG carries nationality in Patient.address.country (ISO 3166 alpha-2)."""
    countries = [(i, text(a, "country")) for i, a in enumerate(items(raw, "address"))]
    if policy.require_clinic_details and not any(c for _, c in countries):
        issues.error(
            f"{path}.address",
            "Nationality (address.country) is required",
            "須填國籍 (address.country)",
            code="required",
        )
    country_codes = valuesets.value_set(valuesets.COUNTRY)
    for index, country in countries:
        if country is not None and country_codes.get(country) is None:
            issues.error(
                f"{path}.address[{index}].country",
                f"{country!r} is not in value set country-2-codes (ISO 3166 alpha-2)",
                f"{country!r} 不在國家代碼值集 country-2-codes 中",
                code="code-invalid",
            )
