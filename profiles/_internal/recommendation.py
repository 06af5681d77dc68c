"""The next-dose date (IG 2.2: ImmunizationRecommendation.recommendation.dateCriterion, slice
``nextDose`` with LOINC 30980-7). Optional; when given it must follow the vaccination and
support the Bundle's Immunization. The DCC does not carry it; the record keeps it for display.
"""

from __future__ import annotations

from datetime import date

from profiles._internal.access import code_in, items, obj
from profiles._internal.bundle import BundleView, Entry
from profiles.dates import local_date, parse_fhir_datetime
from profiles.outcome import Issues

NEXT_DOSE = "30980-7"
LOINC = "http://loinc.org"


def next_dose(
    view: BundleView, immunization: Entry, vaccinated: date | None, issues: Issues
) -> date | None:
    found = view.of_type("ImmunizationRecommendation")
    if not found:
        return None
    entry = found[0]
    for r_index, rec in enumerate(items(entry.raw, "recommendation")):
        supported = [view.resolve(ref) for ref in items(rec, "supportingImmunization")]
        if supported and immunization not in supported:
            continue
        for c_index, criterion in enumerate(items(rec, "dateCriterion")):
            if code_in(obj(criterion, "code"), LOINC) != NEXT_DOSE:
                continue
            where = f"{entry.path}.recommendation[{r_index}].dateCriterion[{c_index}].value"
            return _checked(criterion.get("value"), where, vaccinated, issues)
    return None


def _checked(value: object, where: str, vaccinated: date | None, issues: Issues) -> date | None:
    try:
        day = local_date(parse_fhir_datetime(value)) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        issues.error(where, "Next dose date must be a date", "下次接種日期須為日期")
        return None
    if vaccinated is not None and day <= vaccinated:
        issues.error(
            where,
            f"Next dose date {day} is not after the vaccination ({vaccinated})",
            f"下次接種日期 {day} 未晚於本次接種日期 ({vaccinated})",
            code="business-rule",
        )
        return None
    return day
