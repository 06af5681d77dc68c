"""Value-set membership checks shared by the Immunization and Observation checks."""

from __future__ import annotations

from profiles import valuesets
from profiles._internal.access import Json, items, obj, text
from profiles._internal.bundle import BundleView, Entry
from profiles.outcome import Issues
from profiles.record import ProfilePolicy

INSTITUTION_SYSTEM = "https://twcore.mohw.gov.tw/ig/twcore/CodeSystem/organization-identifier-tw"


def check_code(
    value_set_name: str,
    code: str | None,
    where: str,
    policy: ProfilePolicy,
    issues: Issues,
    *,
    open_list: bool = False,
) -> str | None:
    """``code`` when it is in the value set; an unknown code is an error naming the value set
    (a warning for ``open_list`` sets such as the RAT device example list); a deprecated one
    is an error unless the policy allows it."""
    if code is None:
        return None
    concept = valuesets.value_set(value_set_name).get(code)
    if concept is None:
        report = issues.warning if open_list else issues.error
        report(
            where,
            f"{code!r} is not in value set {value_set_name}",
            f"{code!r} 不在值集 {value_set_name} 中",
            code="code-invalid",
        )
        return code if open_list else None
    if not concept.active:
        report = issues.warning if policy.allow_inactive_codes else issues.error
        report(
            where,
            f"{code!r} is deprecated in value set {value_set_name}",
            f"{code!r} 已於值集 {value_set_name} 停用",
            code="code-invalid",
        )
        if not policy.allow_inactive_codes:
            return None
    return code


def system_of(value_set_name: str) -> frozenset[str]:
    """Code systems the concepts of a value set use."""
    return frozenset(c.system for c in valuesets.value_set(value_set_name).concepts.values())


def place_country(place: Entry) -> str | None:
    """Country of a Location (``address``) or Organization (``address[]``)."""
    address = obj(place.raw, "address")
    if address is not None:
        return text(address, "country")
    for addr in items(place.raw, "address"):
        if country := text(addr, "country"):
            return country
    return None


def institution_code(view: BundleView, place: Entry) -> str | None:
    """The 10-digit MOHW code of the institution: on the Organization itself or on the
    Location's managingOrganization (resolved in the Bundle or given as an identifier)."""
    org: Json | None = place.raw
    if place.resource_type == "Location":
        managing = obj(place.raw, "managingOrganization")
        resolved = view.resolve(managing)
        org = (
            resolved.raw if resolved is not None else {"identifier": [obj(managing, "identifier")]}
        )
    for ident in items(org, "identifier"):
        if text(ident, "system") == INSTITUTION_SYSTEM:
            return text(ident, "value")
    return None


def check_country(
    country: str | None, where: str, policy: ProfilePolicy, issues: Issues
) -> str | None:
    if country is None:
        issues.error(
            where,
            "Country of the event (ISO 3166 alpha-2) is required",
            "須填發生國家 (ISO 3166 二碼)",
            code="required",
        )
        return None
    return check_code(valuesets.COUNTRY, country, where, policy, issues)
