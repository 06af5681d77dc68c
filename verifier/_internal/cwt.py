"""CWT claims of an HCERT (RFC 8392 + HCERT spec 2.6): iss, iat, exp and the DCC.

Claim keys are integers: 1 iss, 4 exp, 6 iat, -260 hcert = {1: DCC payload}. ``iat``
and ``exp`` are seconds since the epoch; integers are the rule, but real issuers (HU)
emit floats, so any finite number is accepted. The DCC is converted to plain JSON
values (CBOR date-time tags become ISO strings) so schema and rules see what the JSON
schema describes; anything without a JSON meaning (byte strings, odd tags) is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from verifier._internal.cbor import CborError, loads
from verifier.errors import CoseInvalid

CLAIM_ISS, CLAIM_EXP, CLAIM_IAT, CLAIM_HCERT, HCERT_EU_DCC = 1, 4, 6, -260, 1


@dataclass(frozen=True, slots=True)
class Claims:
    issuer: str | None
    issued_at: datetime | None
    expires_at: datetime | None
    dcc: dict[str, Any]


def parse_claims(payload: bytes) -> Claims:
    """Decode the CWT claims map; every problem is :class:`CoseInvalid`."""
    try:
        claims = loads(payload)
    except CborError as exc:
        raise CoseInvalid(f"CWT payload is not CBOR: {exc}") from None
    if not isinstance(claims, Mapping):
        raise CoseInvalid("CWT payload must be a CBOR map")
    hcert = claims.get(CLAIM_HCERT)
    if not isinstance(hcert, Mapping) or not isinstance(hcert.get(HCERT_EU_DCC), Mapping):
        raise CoseInvalid("CWT has no hcert claim (-260) holding an EU DCC (key 1)")
    issuer = claims.get(CLAIM_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise CoseInvalid("CWT iss must be a text string")
    return Claims(
        issuer=issuer,
        issued_at=_instant(claims.get(CLAIM_IAT), "iat"),
        expires_at=_instant(claims.get(CLAIM_EXP), "exp"),
        dcc=_dcc(hcert[HCERT_EU_DCC]),
    )


def _instant(value: Any, name: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CoseInvalid(f"CWT {name} must be a number of seconds")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise CoseInvalid(f"CWT {name} is out of range") from None


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CoseInvalid("DCC holds a non-finite number")
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise CoseInvalid("DCC map keys must be text strings")
        return {key: _to_json(item) for key, item in value.items()}
    raise CoseInvalid(f"DCC holds a value with no JSON meaning ({type(value).__name__})")


def _dcc(value: Any) -> dict[str, Any]:
    """Fast path through orjson (C): it writes date-times as RFC 3339 strings and refuses
    byte strings and non-text keys; anything it refuses is walked again in Python for a
    precise error. (orjson writes NaN as null; the schema then refuses the null.)"""
    if isinstance(value, dict):
        try:
            fast = orjson.loads(orjson.dumps(value))
        except (TypeError, orjson.JSONEncodeError):
            pass
        else:
            assert isinstance(fast, dict)  # noqa: S101 - a dict serialises to an object
            return fast
    converted = _to_json(value)
    assert isinstance(converted, dict)  # noqa: S101 - a Mapping converts to a dict
    return converted
