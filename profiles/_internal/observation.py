"""Observation checks (Taiwan IG 2.3): a SARS-CoV-2 test result, and recovery from a positive
NAAT. The Taiwan IG's Observation contradicts itself (effectiveDateTime vs effectivePeriod);
like ``issue-test-request.json`` we read ``effectiveDateTime`` = sample collection and
``issued`` = report time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from profiles import valuesets
from profiles._internal.access import Json, code_in, items, obj, text
from profiles._internal.bundle import BundleView, Entry
from profiles._internal.codes import check_code, check_country, place_country
from profiles.dates import local_date, parse_fhir_datetime
from profiles.outcome import Issues
from profiles.record import ProfilePolicy, RecoveryFacts, TestResultFacts

COVID19 = "840539006"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
NAAT = "LP6464-4"
RAT = "LP217198-3"
DETECTED = "260373001"
NOT_DETECTED = "260415000"
DEVICE_SYSTEM = "https://covid-19-diagnostics.jrc.ec.europa.eu/devices"
#: Extension (ours) carrying a recovery certificate's validity (DCC df/du) as a Period.
RECOVERY_VALIDITY_URL = "urn:vaxx:fhir:StructureDefinition:dcc-recovery-validity"
MAX_TEXT = 80


def recovery_validity(raw: Json) -> Json | None:
    for ext in items(raw, "extension"):
        if text(ext, "url") == RECOVERY_VALIDITY_URL:
            return obj(ext, "valuePeriod") or {}
    return None


def check_test(
    view: BundleView, entry: Entry, policy: ProfilePolicy, today: date, issues: Issues
) -> TestResultFacts | None:
    raw, path = entry.raw, entry.path
    common = _common(view, entry, policy, today, issues)
    test_type = _test_type(raw, path, policy, issues)
    device = obj(raw, "device")
    name = text(device, "display")
    if name is not None and len(name) > MAX_TEXT:
        issues.error(
            f"{path}.device.display", "Test name longer than 80 characters", "檢驗名稱超過 80 字元"
        )
    ma = check_code(
        valuesets.TEST_DEVICE,
        text(obj(device, "identifier"), "value"),
        f"{path}.device.identifier",
        policy,
        issues,
        open_list=True,
    )
    if common is None or test_type is None:
        return None
    collected, result, centre, country = common
    if not isinstance(collected, datetime):
        issues.error(
            f"{path}.effectiveDateTime",
            "Sample collection needs a time and offset",
            "採檢時間須含時間與時區",
            code="required",
        )
        return None
    return TestResultFacts(COVID19, test_type, name, ma, collected, result, centre, country)


def check_recovery(
    view: BundleView, entry: Entry, policy: ProfilePolicy, today: date, issues: Issues
) -> RecoveryFacts | None:
    raw, path = entry.raw, entry.path
    common = _common(view, entry, policy, today, issues)
    test_type = _test_type(raw, path, ProfilePolicy(naat_only=True), issues)
    if common is None or test_type is None:
        return None
    collected, result, _centre, country = common
    if result != DETECTED:
        issues.error(
            f"{path}.valueCodeableConcept",
            "Recovery needs a positive (detected) NAAT result",
            "康復證明須為核酸檢驗陽性結果",
            code="business-rule",
        )
        return None
    first = local_date(collected)
    period = recovery_validity(raw) or {}
    valid_from = _period_day(period, "start", first + timedelta(policy.recovery_valid_from_days))
    valid_until = _period_day(period, "end", first + timedelta(policy.recovery_valid_days))
    if valid_from is None or valid_until is None or not first <= valid_from <= valid_until:
        issues.error(
            f"{path}.extension",
            "Recovery validity must run from the first positive test date onwards (start <= end)",
            "康復證明有效期間錯誤",
            code="invariant",
        )
        return None
    return RecoveryFacts(COVID19, first, country, valid_from, valid_until)


def _period_day(period: Json, key: str, default: date) -> date | None:
    value = period.get(key)
    if value is None:
        return default
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _common(
    view: BundleView, entry: Entry, policy: ProfilePolicy, today: date, issues: Issues
) -> tuple[datetime | date, str, str | None, str] | None:
    raw, path = entry.raw, entry.path
    if raw.get("status") not in ("final", "amended", "corrected"):
        issues.error(
            f"{path}.status",
            "Only a final result can be certified",
            "僅能為最終 (final) 檢驗結果開立證明",
            code="business-rule",
        )
    if code_in(obj(raw, "code"), LOINC) is None:
        issues.error(
            f"{path}.code",
            "Observation.code must name the SARS-CoV-2 test in LOINC (e.g. 94309-2)",
            "Observation.code 須為 LOINC 的 SARS-CoV-2 檢驗代碼 (例如 94309-2)",
            code="required",
        )
    collected = _when(raw, path, "effectiveDateTime", today, issues, required=True)
    reported = _when(raw, path, "issued", today, issues, required=False)
    if isinstance(collected, datetime) and isinstance(reported, datetime) and reported < collected:
        issues.error(
            f"{path}.issued",
            "Report time is before sample collection",
            "報告時間早於採檢時間",
            code="invariant",
        )
    result = check_code(
        valuesets.TEST_RESULT,
        code_in(obj(raw, "valueCodeableConcept"), SNOMED),
        f"{path}.valueCodeableConcept",
        policy,
        issues,
    )
    if result is None and code_in(obj(raw, "valueCodeableConcept"), SNOMED) is None:
        issues.error(
            f"{path}.valueCodeableConcept",
            "Result must be SNOMED 260415000 (not detected) or 260373001 (detected)",
            "檢驗結果須為 SNOMED 260415000 (陰性) 或 260373001 (陽性)",
            code="required",
        )
    centre, country = _centre(view, raw, path, policy, issues)
    if collected is None or result is None or country is None:
        return None
    return collected, result, centre, country


def _when(
    raw: Json, path: str, key: str, today: date, issues: Issues, *, required: bool
) -> datetime | date | None:
    value: Any = raw.get(key)
    where = f"{path}.{key}"
    if value is None and not required:
        return None
    if not isinstance(value, str):
        issues.error(where, f"{key} is required", f"須填 {key}", code="required")
        return None
    try:
        moment = parse_fhir_datetime(value)
    except ValueError as exc:
        issues.error(where, f"{key} {value!r}: {exc}", f"{key} {value!r} 格式錯誤")
        return None
    if local_date(moment) > today:
        issues.error(
            where,
            f"{key} {value} is in the future",
            f"{key} {value} 晚於今日",
            code="business-rule",
        )
        return None
    return moment


def _test_type(raw: Json, path: str, policy: ProfilePolicy, issues: Issues) -> str | None:
    where = f"{path}.method"
    code = code_in(obj(raw, "method"), LOINC)
    if code is None:
        issues.error(
            where,
            "Test method (LOINC LP6464-4 NAAT) is required",
            "須填檢驗方法 (LOINC LP6464-4 核酸檢驗)",
            code="required",
        )
        return None
    if code == RAT and policy.naat_only:
        issues.error(
            where,
            "Rapid antigen tests are not accepted: the Taiwan IG certifies "
            "nucleic-acid (NAAT) tests only",
            "不接受抗原快篩：僅接受核酸檢驗",
            code="business-rule",
        )
        return None
    return check_code(valuesets.TEST_TYPE, code, where, policy, issues)


def _centre(
    view: BundleView, raw: Json, path: str, policy: ProfilePolicy, issues: Issues
) -> tuple[str | None, str | None]:
    performers = [view.resolve(p) for p in items(raw, "performer")]
    orgs = [p for p in performers if p is not None and p.resource_type == "Organization"]
    if not orgs:
        issues.error(
            f"{path}.performer",
            "The testing centre (Organization) is required",
            "須填檢驗機構 (Organization)",
            code="required",
        )
        return None, None
    name = text(orgs[0].raw, "name")
    if name is not None and len(name) > MAX_TEXT:
        issues.error(
            f"{orgs[0].path}.name",
            "Testing centre name longer than 80 characters",
            "檢驗機構名稱超過 80 字元",
        )
        name = None
    country = check_country(
        place_country(orgs[0]), f"{orgs[0].path}.address.country", policy, issues
    )
    return name, country
