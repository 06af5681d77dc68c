"""The immutable outcome of a verification, with minimal disclosure.

A checker sees the verdict, each step's outcome and code, the certificate type, the
holder's name and birth date, and the few facts that decide acceptance (dose x/y and
date, test type/result/sample time, recovery validity). Nothing else from the payload
(no UVCI, no issuer free text) leaves the verifier. Data is only disclosed once the
signature has verified.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from verifier.rules import RulesReport


class Step(StrEnum):
    """The numbered pipeline steps, in order."""

    PICTURE = "picture"
    PREFIX = "prefix"
    BASE45 = "base45"
    DECOMPRESS = "decompress"
    COSE = "cose"
    SIGNATURE = "signature"
    KEY_USAGE = "key_usage"
    EXPIRY = "expiry"
    SCHEMA = "schema"
    REVOCATION = "revocation"
    RULES = "rules"


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    RULES_FAILED = "rules_failed"
    CANNOT_VERIFY = "cannot_verify"


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """``ok`` is True (passed), False (failed) or None (not run)."""

    step: Step
    ok: bool | None
    code: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class Holder:
    family_name: str | None
    given_name: str | None
    family_name_transliterated: str | None
    given_name_transliterated: str | None
    date_of_birth: str | None


@dataclass(frozen=True, slots=True)
class VerificationResult:
    verdict: Verdict
    steps: tuple[StepOutcome, ...]
    certificate_type: str | None = None
    holder: Holder | None = None
    facts: tuple[tuple[str, str], ...] = ()
    issuer_country: str | None = None
    issued_at: str | None = None
    expires_at: str | None = None
    kid: str | None = None
    kid_source: str | None = None
    algorithm: str | None = None
    rules: RulesReport | None = None

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID

    def step(self, step: Step) -> StepOutcome:
        return next(outcome for outcome in self.steps if outcome.step is step)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (CLI ``--json``, HTTP API)."""
        body: dict[str, Any] = {
            "valid": self.valid,
            "verdict": self.verdict.value,
            "steps": [
                {"step": o.step.value, "ok": o.ok, "code": o.code, "message": o.message}
                for o in self.steps
            ],
            "certificate_type": self.certificate_type,
            "holder": _holder_dict(self.holder) if self.holder else None,
            "facts": dict(self.facts),
            "issuer_country": self.issuer_country,
            "issued_at": self.issued_at,
            "expires_at": self.expires_at,
            "kid": self.kid,
            "kid_source": self.kid_source,
            "algorithm": self.algorithm,
        }
        if self.rules is not None:
            body["rules"] = {
                "country": self.rules.country,
                "results": [
                    {"identifier": o.identifier, "version": o.version,
                     "description": o.description, "passed": o.passed}
                    for o in self.rules.outcomes
                ],
            }  # fmt: skip
        return body


def _holder_dict(holder: Holder) -> dict[str, str | None]:
    """Field by field (``dataclasses.asdict`` deep-copies and costs more than a verify)."""
    return {
        "family_name": holder.family_name,
        "given_name": holder.given_name,
        "family_name_transliterated": holder.family_name_transliterated,
        "given_name_transliterated": holder.given_name_transliterated,
        "date_of_birth": holder.date_of_birth,
    }
