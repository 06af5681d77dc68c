"""The COVID-19 vaccine products Taiwan used, keyed by the Taiwan CDC code that clinic
systems record (``CoV AZ``...), with the codings the FHIR Immunization needs.

Codings: SNOMED CT vaccine types, EU product and marketing-authorisation-holder codes
from the EU DCC value sets (ehn-dcc-development/eu-dcc-valuesets, Apache-2.0);
intervals from Taiwan CDC's COVID-19 vaccination guidance (minimum intervals).
"""

from __future__ import annotations

from dataclasses import dataclass

# Taiwan CDC: a booster (additional dose) at least 12 weeks after the primary series.
BOOSTER_MIN_INTERVAL_DAYS = 84


@dataclass(frozen=True)
class Vaccine:
    code: str
    """Taiwan CDC vaccine code as recorded by clinics."""
    name: str
    snomed_type: str
    eu_product: str
    manufacturer_org: str
    """EMA SPOR organisation id of the marketing authorisation holder."""
    manufacturer_name: str
    doses_per_vial: int
    series_doses: int
    min_interval_days: int
    """Minimum days between two primary-series doses of this product."""


VACCINES: dict[str, Vaccine] = {
    v.code: v
    for v in (
        Vaccine(
            "CoV AZ",
            "AstraZeneca Vaxzevria",
            "29061000087103",
            "EU/1/21/1529",
            "ORG-100001699",
            "AstraZeneca AB",
            10,
            2,
            56,
        ),
        Vaccine(
            "CoV Moderna",
            "Moderna Spikevax",
            "1119349007",
            "EU/1/20/1507",
            "ORG-100031184",
            "Moderna Biotech Spain S.L.",
            10,
            2,
            28,
        ),
        Vaccine(
            "CoV BNT",
            "BioNTech Comirnaty",
            "1119349007",
            "EU/1/20/1528",
            "ORG-100030215",
            "BioNTech Manufacturing GmbH",
            6,
            2,
            21,
        ),
        Vaccine(
            "CoV Medigen",
            "Medigen MVC-COV1901",
            "1162643001",
            "MVC-COV1901",
            "ORG-100033914",
            "Medigen Vaccine Biologics Corporation",
            10,
            2,
            28,
        ),
        Vaccine(
            "CoV Novavax",
            "Novavax Nuvaxovid",
            "1162643001",
            "EU/1/21/1618",
            "ORG-100032020",
            "Novavax CZ a.s.",
            10,
            2,
            21,
        ),
    )
}


def vaccine(code: str) -> Vaccine:
    """The product for a Taiwan CDC code; ``KeyError`` when the code is not known."""
    return VACCINES[code]
