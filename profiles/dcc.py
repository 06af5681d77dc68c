"""FHIR record -> EU DCC JSON payload (schema 1.3.x), and the payload's own validation.

The schema check is ``fastjsonschema`` compiled once (PERFORMANCE.md: ``jsonschema`` costs
about 7 ECDSA verifications per payload, the compiled validator a quarter of one). The schema
does not check codes, so value-set membership is checked here too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from profiles import valuesets
from profiles.dates import dcc_datetime
from profiles.errors import DccInvalid
from profiles.record import (
    CertificateRecord,
    Person,
    RecoveryFacts,
    TestResultFacts,
    VaccinationFacts,
)

SUPPORTED_VERSIONS = re.compile(r"1\.3\.[0-9]+")
MAX_PAYLOAD_CHARS = 10_000

#: Which value set each coded field of each entry group draws from.
_CODED = {
    "v": {
        "tg": valuesets.DISEASE,
        "vp": valuesets.PROPHYLAXIS,
        "mp": valuesets.PRODUCT,
        "ma": valuesets.MANUFACTURER,
        "co": valuesets.COUNTRY,
    },
    "t": {
        "tg": valuesets.DISEASE,
        "tt": valuesets.TEST_TYPE,
        "tr": valuesets.TEST_RESULT,
        "co": valuesets.COUNTRY,
    },
    "r": {"tg": valuesets.DISEASE, "co": valuesets.COUNTRY},
}


@cache
def _schema_validator() -> Any:
    text = resources.files("profiles").joinpath("data", "schema", "DCC.combined-schema.json")
    schema = json.loads(text.read_text("utf-8"))
    return fastjsonschema.compile(schema)


def validate_dcc(payload: Any) -> None:
    """Raise ``DccInvalid`` unless ``payload`` meets the DCC schema 1.3.3 and the value sets."""
    if not isinstance(payload, dict):
        raise DccInvalid("a DCC payload must be a JSON object", problems=["not an object"])
    if len(json.dumps(payload, ensure_ascii=False)) > MAX_PAYLOAD_CHARS:
        raise DccInvalid("DCC payload too large", problems=[f"> {MAX_PAYLOAD_CHARS} chars"])
    try:
        _schema_validator()(payload)
    except fastjsonschema.JsonSchemaException as exc:
        raise DccInvalid(f"DCC schema: {exc}", problems=[str(exc)]) from exc
    problems = _value_set_problems(payload)
    if problems:
        raise DccInvalid(
            "DCC payload uses codes outside the EU value sets or leaves is/ci blank",
            problems=problems,
        )


def _value_set_problems(payload: dict[str, Any]) -> list[str]:
    problems = []
    for group, fields in _CODED.items():
        for index, entry in enumerate(payload.get(group, [])):
            for key, name in fields.items():
                code = entry.get(key)
                if code is not None and valuesets.value_set(name).get(code) is None:
                    problems.append(f"{group}[{index}].{key}: {code!r} is not in value set {name}")
            problems += [
                f"{group}[{index}].{key} is blank"
                for key in ("is", "ci")
                if not str(entry.get(key, "")).strip()
            ]
    return problems


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _name(person: Person) -> dict[str, str]:
    parts = {"fn": person.family, "fnt": person.family_t, "gn": person.given, "gnt": person.given_t}
    return {key: _nfc(value) for key, value in parts.items() if value is not None}


def _entry(record: CertificateRecord, uvci: str, issuer: str) -> tuple[str, dict[str, Any]]:
    facts = record.facts
    tail = {"is": _nfc(issuer), "ci": uvci}
    if isinstance(facts, VaccinationFacts):
        return "v", {
            "tg": facts.target,
            "vp": facts.prophylaxis,
            "mp": facts.product,
            "ma": facts.manufacturer,
            "dn": facts.dose_number,
            "sd": facts.series_doses,
            "dt": facts.date.isoformat(),
            "co": facts.country,
            **tail,
        }
    if isinstance(facts, TestResultFacts):
        entry: dict[str, Any] = {"tg": facts.target, "tt": facts.test_type}
        optional = {"nm": facts.test_name, "ma": facts.device}
        entry |= {k: _nfc(v) for k, v in optional.items() if v is not None}
        entry |= {"sc": dcc_datetime(facts.sample_collected), "tr": facts.result}
        if facts.centre is not None:
            entry["tc"] = _nfc(facts.centre)
        return "t", {**entry, "co": facts.country, **tail}
    assert isinstance(facts, RecoveryFacts)  # noqa: S101 - the Facts union is closed
    return "r", {
        "tg": facts.target,
        "fr": facts.first_positive.isoformat(),
        "co": facts.country,
        **tail,
        "df": facts.valid_from.isoformat(),
        "du": facts.valid_until.isoformat(),
    }


def to_dcc(
    record: CertificateRecord, *, uvci: str, issuer: str, schema_version: str = "1.3.0"
) -> dict[str, Any]:
    """The EU DCC JSON payload of ``record``, validated before it is returned.

    ``uvci`` is the certificate identifier (``ci``), ``issuer`` the certificate issuer
    (``is``, e.g. "Centers for Disease Control, Ministry of Health and Welfare").
    """
    if not SUPPORTED_VERSIONS.fullmatch(schema_version):
        raise ValueError(f"vaxx writes DCC schema 1.3.x, not {schema_version!r}")
    group, entry = _entry(record, uvci, issuer)
    payload = {
        "ver": schema_version,
        "nam": _name(record.person),
        "dob": record.person.birth_date,
        group: [entry],
    }
    validate_dcc(payload)
    return payload
