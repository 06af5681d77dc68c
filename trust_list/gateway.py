"""The EU DCC gateway's trust-list shape (dgc-gateway ``TrustListDto``), read and written.

Each item: ``kid`` (base64), ``timestamp``, ``country``, ``certificateType`` (DSC, CSCA,
UPLOAD, AUTHENTICATION), ``thumbprint`` (hex SHA-256 of the DER), ``signature`` (the
gateway trust anchor's CMS signature) and ``rawData`` (base64 DER).

On import the gateway's own ``signature`` is *not* what makes a DSC trusted here (we do
not hold the gateway's trust anchor); every DSC must instead chain to a CSCA that an
operator added with ``vaxx trust add-csca``. CSCA items in the file are never trusted
from the file itself, for the same reason: the file would vouch for itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from trust_list.errors import TrustListImportInvalid

MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_RAW_DATA_CHARS = 32 * 1024


@dataclass(frozen=True, slots=True)
class GatewayItem:
    kid: str
    country: str
    certificate_type: str
    der: bytes


def parse_trust_list(data: bytes) -> list[GatewayItem]:
    """Read a gateway trust list (a JSON array); bounded, and each item self-consistent."""
    if len(data) > MAX_IMPORT_BYTES:
        raise TrustListImportInvalid(f"trust list file exceeds {MAX_IMPORT_BYTES} bytes")
    try:
        items = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise TrustListImportInvalid(f"trust list file is not JSON: {exc}") from exc
    if not isinstance(items, list):
        raise TrustListImportInvalid("a gateway trust list is a JSON array of items")
    return [_item(index, raw) for index, raw in enumerate(items)]


def _item(index: int, raw: Any) -> GatewayItem:
    where = f"item {index}"
    if not isinstance(raw, dict):
        raise TrustListImportInvalid(f"{where} is not an object")
    fields = {name: raw.get(name) for name in ("kid", "country", "certificateType", "rawData")}
    missing = [name for name, value in fields.items() if not isinstance(value, str)]
    if missing:
        raise TrustListImportInvalid(f"{where} lacks string fields: {', '.join(missing)}")
    raw_data: str = fields["rawData"]  # type: ignore[assignment]
    if len(raw_data) > MAX_RAW_DATA_CHARS:
        raise TrustListImportInvalid(f"{where} rawData is oversize")
    try:
        der = base64.b64decode(raw_data, validate=True)
    except binascii.Error as exc:
        raise TrustListImportInvalid(f"{where} rawData is not base64") from exc
    thumbprint = raw.get("thumbprint")
    if thumbprint is not None and thumbprint != hashlib.sha256(der).hexdigest():
        raise TrustListImportInvalid(f"{where} thumbprint does not match rawData")
    kid = base64.b64encode(hashlib.sha256(der).digest()[:8]).decode()
    if fields["kid"] != kid:
        raise TrustListImportInvalid(f"{where} kid {fields['kid']} is not the kid of rawData")
    country: str = fields["country"]  # type: ignore[assignment]
    certificate_type: str = fields["certificateType"]  # type: ignore[assignment]
    return GatewayItem(kid, country.upper(), certificate_type.upper(), der)


def gateway_item(kid: str, country: str, der: bytes, timestamp: datetime) -> dict[str, Any]:
    """One DSC in the gateway's shape, for other countries' backends to import.

    ``signature`` is empty: our list as a whole is signed (the JWS envelope), and the
    gateway's per-item CMS signature belongs to the gateway's own trust anchor.
    """
    return {
        "kid": kid,
        "timestamp": timestamp.isoformat().replace("+00:00", "Z"),
        "country": country,
        "certificateType": "DSC",
        "thumbprint": hashlib.sha256(der).hexdigest(),
        "signature": "",
        "rawData": base64.b64encode(der).decode(),
    }
