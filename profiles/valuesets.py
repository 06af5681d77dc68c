"""The EU DCC value sets and the Taiwan CDC vaccine code table, loaded once from package data.

Copies of ``ehn-dcc-development/eu-dcc-valuesets`` release 2.12.0 (Apache-2.0, see
``data/valuesets/SOURCE.md``) and a Taiwan CDC table compiled for vaxx
(``data/tw_cdc_vaccines.json`` names its source). Each value set is reachable by its file
stem (``vaccine-prophylaxis``) or its EU ``valueSetId`` (``sct-vaccines-covid-19``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Lang = Literal["en", "zh-TW"]

DISEASE = "disease-agent-targeted"
PROPHYLAXIS = "vaccine-prophylaxis"
PRODUCT = "vaccine-medicinal-product"
MANUFACTURER = "vaccine-mah-manf"
TEST_TYPE = "test-type"
TEST_DEVICE = "test-manf-example"
TEST_RESULT = "test-result"
COUNTRY = "country-2-codes"
TW_CDC = "tw-cdc-vaccine-code"

_EU_FILES = (
    DISEASE,
    PROPHYLAXIS,
    PRODUCT,
    MANUFACTURER,
    TEST_TYPE,
    TEST_DEVICE,
    TEST_RESULT,
    COUNTRY,
)


@dataclass(frozen=True, slots=True)
class Concept:
    """One code of a value set with its display names and status."""

    code: str
    system: str
    en: str
    zh: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class ValueSet:
    name: str
    value_set_id: str
    concepts: dict[str, Concept]

    def get(self, code: str) -> Concept | None:
        return self.concepts.get(code)


@dataclass(frozen=True, slots=True)
class TwVaccine:
    """A Taiwan CDC vaccine code; ``covid19`` holds its EU ``vp``/``mp``/``ma`` triple."""

    code: str
    en: str
    zh: str
    covid19: dict[str, str] | None


def _read(name: str) -> Any:
    return json.loads(resources.files("profiles").joinpath("data", name).read_text("utf-8"))


@cache
def _zh_table() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = _read("zh_tw_displays.json")["values"]
    return table


@cache
def _eu(name: str) -> ValueSet:
    raw = _read(f"valuesets/{name}.json")
    zh = _zh_table().get(raw["valueSetId"], {})
    concepts = {
        code: Concept(code, v["system"], v["display"], zh.get(code), bool(v["active"]))
        for code, v in raw["valueSetValues"].items()
    }
    return ValueSet(name, raw["valueSetId"], concepts)


@cache
def _tw_cdc() -> tuple[str, dict[str, TwVaccine]]:
    raw = _read("tw_cdc_vaccines.json")
    table: dict[str, TwVaccine] = {}
    for code, v in raw["values"].items():
        vaccine = TwVaccine(code, v["en"], v["zh-TW"], v.get("covid19"))
        for alias in (code, *v["aliases"]):
            table[alias] = vaccine
    return raw["system"], table


@cache
def _by_id() -> dict[str, str]:
    return {_eu(name).value_set_id: name for name in _EU_FILES}


def value_set(name: str) -> ValueSet:
    """An EU value set by file stem or EU valueSetId; KeyError names unknown ones."""
    if name in _EU_FILES:
        return _eu(name)
    return _eu(_by_id()[name])


def tw_cdc_system() -> str:
    """The code system URI that marks Taiwan CDC vaccine codes in a CodeableConcept."""
    return _tw_cdc()[0]


def tw_cdc_vaccine(code: str) -> TwVaccine | None:
    """A Taiwan CDC vaccine by its clinic code or an IG v0.0.1 alias (``COVID19AZ``)."""
    return _tw_cdc()[1].get(code)


def display_name(value_set_name: str, code: str, lang: Lang = "en") -> str | None:
    """The human name of ``code`` in ``value_set_name``: Traditional Chinese where one is known
    (else the English name), ``None`` for an unknown code or value set."""
    if value_set_name == TW_CDC:
        vaccine = tw_cdc_vaccine(code)
        if vaccine is None:
            return None
        return vaccine.zh if lang == "zh-TW" else vaccine.en
    try:
        concept = value_set(value_set_name).get(code)
    except KeyError:
        return None
    if concept is None:
        return None
    if lang == "zh-TW":
        return concept.zh or concept.en
    return concept.en


@dataclass(frozen=True, slots=True)
class EncodingInstruction:
    """The EU's instruction for one product: its ``ma`` and the ``vp`` codes that go with it."""

    product: str
    manufacturer: str
    prophylaxis: frozenset[str]


@cache
def _instructions() -> dict[str, EncodingInstruction]:
    raw = _read("valuesets/vaccine-encoding-instructions.json")["valueSetValues"]
    return {
        v["vaccine-code"]: EncodingInstruction(
            v["vaccine-code"], v["vaccine-manufacturer"], frozenset(v["sct-codes"])
        )
        for v in raw.values()
    }


def encoding_instruction(product: str) -> EncodingInstruction | None:
    """How the EU says to encode ``product`` (``mp``), from vaccine-encoding-instructions."""
    return _instructions().get(product)
