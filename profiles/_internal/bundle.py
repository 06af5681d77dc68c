"""Step 1 of validation: the Bundle's shape, its entries, and each resource's FHIR structure.

Every entry is modelled with ``fhir.resources`` (R4B, which is wire-compatible with the IG's
FHIR 4.0.1 for these resources); a pydantic ``ValidationError`` becomes one issue per
problem, with the element's FHIRPath, and never escapes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError

from profiles._internal.access import Json, obj, text
from profiles.outcome import Issues

KNOWN_TYPES = frozenset(
    {
        "Patient",
        "Immunization",
        "Observation",
        "Organization",
        "Location",
        "Practitioner",
        "ImmunizationRecommendation",
        "Composition",
        "Device",
    }
)
MAX_ENTRIES = 50


@dataclass(slots=True)
class Entry:
    index: int
    full_url: str | None
    raw: Json
    model: Resource | None

    @property
    def path(self) -> str:
        return f"Bundle.entry[{self.index}].resource"

    @property
    def resource_type(self) -> str:
        return str(self.raw.get("resourceType"))


@dataclass(slots=True)
class BundleView:
    raw: Json
    entries: list[Entry] = field(default_factory=list)

    def of_type(self, resource_type: str) -> list[Entry]:
        return [e for e in self.entries if e.resource_type == resource_type]

    def resolve(self, reference: Json | None) -> Entry | None:
        """The entry a ``Reference.reference`` points at (by fullUrl, or ``Type/id``)."""
        target = text(reference, "reference")
        if target is None:
            return None
        for entry in self.entries:
            if target == entry.full_url:
                return entry
            resource_id = text(entry.raw, "id")
            if resource_id and target == f"{entry.resource_type}/{resource_id}":
                return entry
        return None


def fhirpath(prefix: str, loc: tuple[int | str, ...]) -> str:
    """``("name", 0, "given", 1)`` -> ``prefix.name[0].given[1]``."""
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _model(entry_raw: Json, path: str, issues: Issues) -> Resource | None:
    cls = get_fhir_model_class(str(entry_raw["resourceType"]))
    try:
        model = cast(Resource, cls.model_validate(dict(entry_raw)))
    except ValidationError as exc:
        for error in exc.errors():
            where = fhirpath(path, tuple(error["loc"]))
            issues.error(
                where,
                f"Invalid FHIR element: {error['msg']}",
                f"FHIR 元素格式錯誤：{error['msg']}",
                code="structure",
            )
        return None
    return model


def read_bundle(data: Any, issues: Issues) -> BundleView | None:
    """The Bundle's entries, each modelled; ``None`` when it is not a Bundle at all."""
    if not isinstance(data, Mapping) or data.get("resourceType") != "Bundle":
        issues.error(
            "Bundle", "Expected a FHIR Bundle resource", "須為 FHIR Bundle 資源", code="structure"
        )
        return None
    if data.get("type") not in ("collection", "document"):
        issues.error(
            "Bundle.type",
            "Bundle.type must be 'collection' or 'document'",
            "Bundle.type 須為 collection 或 document",
            code="value",
        )
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        issues.error(
            "Bundle.entry", "The Bundle has no entries", "Bundle 沒有任何項目", code="required"
        )
        return None
    if len(raw_entries) > MAX_ENTRIES:
        issues.error(
            "Bundle.entry",
            f"More than {MAX_ENTRIES} entries",
            f"項目超過 {MAX_ENTRIES} 筆",
            code="structure",
        )
        return None
    view = BundleView(raw=data)
    seen: set[str] = set()
    for index, raw_entry in enumerate(raw_entries):
        _add_entry(view, index, raw_entry, seen, issues)
    return view


def _add_entry(
    view: BundleView, index: int, raw_entry: Any, seen: set[str], issues: Issues
) -> None:
    path = f"Bundle.entry[{index}]"
    resource = obj(raw_entry, "resource")
    if resource is None:
        issues.error(f"{path}.resource", "Entry has no resource", "項目缺少資源", code="required")
        return
    full_url = text(raw_entry, "fullUrl")
    if full_url is not None:
        if full_url in seen:
            issues.error(
                f"{path}.fullUrl",
                f"Duplicate fullUrl {full_url}",
                f"fullUrl 重複：{full_url}",
                code="invariant",
            )
        seen.add(full_url)
    kind = resource.get("resourceType")
    if not isinstance(kind, str) or kind not in KNOWN_TYPES:
        issues.error(
            f"{path}.resource.resourceType",
            f"Resource type {kind!r} does not belong in a certificate Bundle",
            f"憑證 Bundle 不接受資源類型 {kind!r}",
            code="not-supported",
        )
        return
    model = _model(resource, f"{path}.resource", issues)
    view.entries.append(Entry(index, full_url, resource, model))
