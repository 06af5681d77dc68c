"""profiles: the Taiwan DCC IG's Patient, Immunization and Observation, validated and mapped
to and from the EU DCC payload (schema 1.3.x).

This package is the one place that knows the IG's rules. It is a pure library (no FastAPI,
no database); ``profiles.router`` exposes it over HTTP.

>>> import json
>>> from datetime import date
>>> from importlib import resources
>>> from profiles import parse_bundle, to_dcc, validate_dcc
>>> bundle = json.loads(resources.files("profiles").joinpath(
...     "data", "examples", "vaccination-bundle.json").read_text("utf-8"))
>>> record = parse_bundle(bundle, today=date(2021, 8, 3))
>>> record.kind, record.person.family_t, record.person.given_t
(<CertificateKind.VACCINATION: 'vaccination'>, 'CHEN', 'HSIAO<MING')
>>> payload = to_dcc(record, uvci="URN:UVCI:01:TW:8XTU2FXLDR7V3T09V415FDMFC#X",
...                  issuer="Centers for Disease Control, Ministry of Health and Welfare")
>>> payload["v"][0]["mp"], payload["v"][0]["dn"], payload["v"][0]["dt"]
('EU/1/20/1528', 2, '2021-08-02')
>>> validate_dcc(payload)  # raises DccInvalid when the payload breaks schema or value sets
"""

from profiles.dates import DateInvalid, parse_roc_date
from profiles.dcc import to_dcc, validate_dcc
from profiles.errors import DccInvalid, ProfileInvalid
from profiles.from_dcc import from_dcc
from profiles.outcome import errors_of
from profiles.record import CertificateKind, CertificateRecord, ProfilePolicy
from profiles.service import parse_bundle, validate
from profiles.valuesets import display_name

__all__ = [
    "CertificateKind",
    "CertificateRecord",
    "DateInvalid",
    "DccInvalid",
    "ProfileInvalid",
    "ProfilePolicy",
    "display_name",
    "errors_of",
    "from_dcc",
    "parse_bundle",
    "parse_roc_date",
    "to_dcc",
    "validate",
    "validate_dcc",
]
