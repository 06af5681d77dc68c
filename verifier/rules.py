"""Business rules in the EU DCC rule format, evaluated with CertLogic.

A :class:`Rule` is one gateway-format rule (identifier, type, country, version,
certificate type, validity window, affected fields, logic), validated against the EU
gateway's JSON schema and the CertLogic validator when loaded. A :class:`RuleSet` picks
the rules that apply to one certificate (destination country, certificate type, rule
validity at the validation time, engine version, newest version of each identifier)
and evaluates them against ``{"payload": ..., "external": ...}``.

Fail closed: a rule set with no applicable rule refuses (:class:`RulesUnavailable`),
unless the caller passes ``unsafe_allow_empty=True`` (the bypass says so in its name).
A rule whose evaluation errors counts as failed, as the CertLogic spec advises.

>>> from datetime import UTC
>>> rule = Rule.from_json(EXAMPLE_RULE)
>>> rules = RuleSet((rule,))
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> report = rules.evaluate({"v": [{"dn": 2, "sd": 2}]}, External.at(now, "XX"), "v")
>>> report.passed
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import fastjsonschema

from verifier.certlogic import CertLogicError, evaluate, validate
from verifier.errors import RuleFailed, RuleSetError, RulesUnavailable

ENGINE = "CERTLOGIC"
ENGINE_MAJOR = 1
MAX_RULE_FILE = 256 * 1024
CERTIFICATE_TYPES = {"v": "Vaccination", "t": "Test", "r": "Recovery"}
EXAMPLE_RULE: dict[str, Any] = {
    "Identifier": "VR-XX-0001",
    "Type": "Acceptance",
    "Country": "XX",
    "Version": "1.0.0",
    "SchemaVersion": "1.3.0",
    "Engine": "CERTLOGIC",
    "EngineVersion": "1.3.2",
    "CertificateType": "Vaccination",
    "Description": [{"lang": "en", "desc": "The vaccination series must be complete."}],
    "ValidFrom": "2021-06-01T00:00:00Z",
    "ValidTo": "2030-06-01T00:00:00Z",
    "AffectedFields": ["v.0.dn", "v.0.sd"],
    "Logic": {
        "if": [
            {"var": "payload.v.0"},
            {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]},
            True,
        ]
    },
}


@cache
def _rule_schema() -> Any:
    text = resources.files("verifier.data").joinpath("validation-rule.schema.json").read_text()
    return fastjsonschema.compile(json.loads(text))


@cache
def default_value_sets() -> Mapping[str, list[str]]:
    """The EU value sets (id -> codes) shipped with the package, for ``external.valueSets``."""
    text = resources.files("verifier.data").joinpath("valueSets.json").read_text()
    loaded: dict[str, list[str]] = json.loads(text)
    return loaded


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated business rule; build it with :meth:`from_json`."""

    identifier: str
    type: str
    country: str
    version: tuple[int, ...]
    engine_version: tuple[int, ...]
    certificate_type: str
    valid_from: datetime
    valid_to: datetime
    affected_fields: tuple[str, ...]
    description: str
    logic: Any = field(repr=False)
    region: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Rule:
        """Check ``data`` against the gateway rule schema and CertLogic, then build it."""
        try:
            _rule_schema()(data)
        except fastjsonschema.JsonSchemaException as exc:
            name = data.get("Identifier", "?") if isinstance(data, dict) else "?"
            raise RuleSetError(f"rule {name}: {exc}") from exc
        issues = validate(data["Logic"])
        if issues:
            raise RuleSetError(f"rule {data['Identifier']}: invalid logic: {issues[0].message}")
        english = next(d["desc"] for d in data["Description"] if d["lang"] == "en")
        return cls(
            identifier=data["Identifier"],
            type=data["Type"],
            country=data["Country"],
            version=_version(data["Version"]),
            engine_version=_version(data["EngineVersion"]),
            certificate_type=data["CertificateType"],
            valid_from=_instant(data["ValidFrom"]),
            valid_to=_instant(data["ValidTo"]),
            affected_fields=tuple(data["AffectedFields"]),
            description=english,
            logic=data["Logic"],
            region=data.get("Region"),
        )

    def applies_to(self, certificate_type: str, now: datetime) -> bool:
        return (
            self.certificate_type in ("General", certificate_type)
            and self.valid_from <= now < self.valid_to
            and self.engine_version[0] <= ENGINE_MAJOR
        )

    def passes(self, data: Mapping[str, Any]) -> bool:
        """True only when the logic evaluates to ``true``; an evaluation error fails."""
        try:
            return evaluate(self.logic, data) is True
        except CertLogicError:
            return False


def load_rule(path: Path) -> Rule:
    """Read and validate one rule file; every problem becomes :class:`RuleSetError`."""
    try:
        if path.stat().st_size > MAX_RULE_FILE:
            raise RuleSetError(f"{path}: larger than {MAX_RULE_FILE} bytes")
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise RuleSetError(f"{path}: cannot read rule: {exc}") from exc
    return Rule.from_json(data)


@dataclass(frozen=True, slots=True)
class External:
    """The external parameter of the EU validation model, as rules see it."""

    validation_clock: datetime
    country_code: str
    value_sets: Mapping[str, Any] = field(default_factory=default_value_sets)
    exp: datetime | None = None
    iat: datetime | None = None
    issuer_country_code: str | None = None
    kid: str | None = None
    region: str | None = None

    @classmethod
    def at(cls, now: datetime, country_code: str) -> External:
        return cls(validation_clock=now, country_code=country_code)

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "validationClock": self.validation_clock.isoformat(),
            "valueSets": dict(self.value_sets),
            "countryCode": self.country_code,
        }
        optional = {
            "exp": self.exp.isoformat() if self.exp else None,
            "iat": self.iat.isoformat() if self.iat else None,
            "issuerCountryCode": self.issuer_country_code,
            "kid": self.kid,
            "region": self.region,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    identifier: str
    version: str
    description: str
    passed: bool


@dataclass(frozen=True, slots=True)
class RulesReport:
    """What each applicable rule said; ``passed`` only if there was at least one and all passed."""

    country: str
    outcomes: tuple[RuleOutcome, ...]

    @property
    def passed(self) -> bool:
        return bool(self.outcomes) and all(outcome.passed for outcome in self.outcomes)

    @property
    def failed(self) -> tuple[RuleOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.passed)

    def require_passed(self) -> None:
        """Raise :class:`RuleFailed` naming every failed rule."""
        if self.failed:
            names = ", ".join(outcome.identifier for outcome in self.failed)
            raise RuleFailed(f"rules not met for {self.country}: {names}", failed=names)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The acceptance rules of one destination (country or venue policy)."""

    rules: tuple[Rule, ...]
    unsafe_allow_empty: bool = False

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> RuleSet:
        """Load rule files; a directory contributes every ``rule.json`` / ``*.json`` below it."""
        rules: list[Rule] = []
        for path in paths:
            if path.is_dir():
                files = sorted(path.rglob("rule.json")) or sorted(path.glob("*.json"))
                rules.extend(load_rule(file) for file in files)
            else:
                rules.extend(_load_rule_file(path))
        return cls(tuple(rules))

    def applicable(self, country: str, certificate_type: str, now: datetime) -> list[Rule]:
        """The newest valid version of each acceptance rule of ``country`` for this type."""
        newest: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.type != "Acceptance" or rule.country != country:
                continue
            if not rule.applies_to(certificate_type, now):
                continue
            known = newest.get(rule.identifier)
            if known is None or rule.version > known.version:
                newest[rule.identifier] = rule
        return [newest[key] for key in sorted(newest)]

    def evaluate(self, payload: Any, external: External, type_key: str) -> RulesReport:
        """Evaluate every applicable rule; raises :class:`RulesUnavailable` when none applies."""
        certificate_type = CERTIFICATE_TYPES.get(type_key, "General")
        rules = self.applicable(external.country_code, certificate_type, external.validation_clock)
        if not rules and not self.unsafe_allow_empty:
            raise RulesUnavailable(
                f"no {certificate_type.lower()} rules for {external.country_code} at "
                f"{external.validation_clock.isoformat()}; refusing (fail closed)"
            )
        data = {"payload": payload, "external": external.as_data()}
        outcomes = tuple(
            RuleOutcome(r.identifier, ".".join(map(str, r.version)), r.description, r.passes(data))
            for r in rules
        )
        return RulesReport(external.country_code, outcomes)

    def check(self, payload: Any, external: External, type_key: str) -> RulesReport:
        """Like :meth:`evaluate`, but raise :class:`RuleFailed` naming the failed rules."""
        report = self.evaluate(payload, external, type_key)
        report.require_passed()
        return report


def _load_rule_file(path: Path) -> Sequence[Rule]:
    """A file holds one rule object or a JSON array of them (a shipped rule set)."""
    try:
        data = json.loads(path.read_bytes()) if path.stat().st_size <= MAX_RULE_FILE * 8 else None
    except (OSError, ValueError) as exc:
        raise RuleSetError(f"{path}: cannot read rules: {exc}") from exc
    if data is None:
        raise RuleSetError(f"{path}: rule file too large")
    return (
        [Rule.from_json(item) for item in data]
        if isinstance(data, list)
        else [Rule.from_json(data)]
    )
