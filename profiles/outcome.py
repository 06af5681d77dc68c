"""FHIR OperationOutcome building: every problem found, in English and Traditional Chinese.

Validation never stops at the first problem: each check appends an ``Issue`` to an
``Issues`` collector and the caller turns the whole list into one OperationOutcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["fatal", "error", "warning", "information"]

#: FHIR IssueType codes used here (http://hl7.org/fhir/issue-type).
IssueCode = Literal[
    "structure",
    "required",
    "value",
    "invariant",
    "code-invalid",
    "not-supported",
    "business-rule",
    "informational",
]

ZH_EXTENSION = "http://hl7.org/fhir/StructureDefinition/translation"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where (FHIRPath), what kind, and the text in both languages."""

    severity: Severity
    code: IssueCode
    expression: str
    en: str
    zh: str

    def to_fhir(self) -> dict[str, Any]:
        """The OperationOutcome.issue element; the Chinese text rides in the standard
        ``translation`` extension on ``details.text`` so plain FHIR clients still read it."""
        return {
            "severity": self.severity,
            "code": self.code,
            "details": {
                "text": self.en,
                "_text": {
                    "extension": [
                        {
                            "url": ZH_EXTENSION,
                            "extension": [
                                {"url": "lang", "valueCode": "zh-TW"},
                                {"url": "content", "valueString": self.zh},
                            ],
                        }
                    ]
                },
            },
            "diagnostics": f"{self.en} / {self.zh}",
            "expression": [self.expression],
        }


@dataclass(slots=True)
class Issues:
    """Collects issues during one validation run."""

    items: list[Issue] = field(default_factory=list)

    def error(self, expression: str, en: str, zh: str, code: IssueCode = "value") -> None:
        """Add an error; one per element. A FHIR-structure message (pydantic's wording) is
        replaced by the clearer bilingual rule message for the same element."""
        issue = Issue("error", code, expression, en, zh)
        for index, seen in enumerate(self.items):
            if seen.severity == "error" and seen.expression == expression:
                if seen.code == "structure" and code != "structure":
                    self.items[index] = issue
                return
        self.items.append(issue)

    def warning(self, expression: str, en: str, zh: str, code: IssueCode = "value") -> None:
        self.items.append(Issue("warning", code, expression, en, zh))

    @property
    def has_errors(self) -> bool:
        return any(issue.severity in ("error", "fatal") for issue in self.items)


def operation_outcome(issues: list[Issue]) -> dict[str, Any]:
    """A FHIR R4 OperationOutcome; a valid input gets a single "information" issue."""
    if not issues:
        ok = Issue("information", "informational", "Bundle", "All checks passed", "全部檢查通過")
        issues = [ok]
    return {"resourceType": "OperationOutcome", "issue": [issue.to_fhir() for issue in issues]}


def errors_of(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    """The error and fatal issues of an OperationOutcome dict (helper for callers and tests)."""
    return [i for i in outcome["issue"] if i["severity"] in ("error", "fatal")]
