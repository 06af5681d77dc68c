"""Signed trust documents: a JWS (flattened JSON, ES256) over canonical JSON.

Format (documented in docs/trust-list.md)::

    {"protected": b64url({"alg": "ES256", "typ": "<kind>+jws", "x5c": [<signer DER, base64>]}),
     "payload":   b64url(<canonical JSON document>),
     "signature": b64url(r || s)}

The payload is exact bytes, so a verifier checks the signature *before* parsing the
document, and re-checks it from the cached bytes at every load. The signer certificate
travels in ``x5c`` and must be issued directly by the pinned trust anchor.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from trust_list._internal import jws
from trust_list.errors import Malformed, Oversize, Unsigned, WrongSigner

ALGORITHMS = frozenset({"ES256"})
"""The allow-list; the header's ``alg`` must be in it."""

TRUST_LIST = "vaxx-trust-list"
REVOCATIONS = "vaxx-revocations"
REVOCATIONS_BLOOM = "vaxx-revocations-bloom"


@dataclass(frozen=True, slots=True)
class Signer:
    """The trust-list signing key and its certificate (issued by the trust anchor)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def seal(document: dict[str, Any], kind: str, signer: Signer) -> bytes:
    """Sign ``document`` (which must hold ``"type": kind``) and return the envelope bytes."""
    if document.get("type") != kind:
        raise ValueError(f"document type must be {kind}")
    der = signer.certificate.public_bytes(Encoding.DER)
    header = {"alg": "ES256", "typ": f"{kind}+jws", "x5c": [base64.b64encode(der).decode()]}
    return jws.sign_es256(jws.canonical_json(document), header, signer.key)


def open_sealed(
    data: bytes, *, kind: str, anchor: x509.Certificate, now: datetime, max_bytes: int
) -> dict[str, Any]:
    """Verify an envelope against ``anchor`` and return its document (fails closed).

    1. size bounded before parsing; 2. envelope shape; 3. ``alg`` allow-listed and ``typ``
    equal to ``kind``; 4. signer certificate issued by ``anchor`` and valid at ``now``;
    5. signature; 6. only then is the payload parsed, and its ``type`` must be ``kind``.
    """
    if len(data) > max_bytes:
        raise Oversize(f"{kind} document is {len(data)} bytes, over the {max_bytes} limit")
    try:
        header, payload, signing_input, signature = jws.split(data)
    except (ValueError, orjson.JSONDecodeError) as exc:
        raise Unsigned(f"{kind} is not a well-formed signed envelope: {exc}") from exc
    if header.get("alg") not in ALGORITHMS or header.get("typ") != f"{kind}+jws":
        raise Unsigned(f"refused header alg={header.get('alg')!r} typ={header.get('typ')!r}")
    signer = _signer_certificate(header)
    _require_issued_by_anchor(signer, anchor, now)
    key = signer.public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey) or not jws.verify_es256(
        key, signing_input, signature
    ):
        raise Unsigned(f"{kind} signature does not verify")
    return _parse_payload(payload, kind)


def _signer_certificate(header: dict[str, Any]) -> x509.Certificate:
    chain = header.get("x5c")
    if not isinstance(chain, list) or len(chain) != 1 or not isinstance(chain[0], str):
        raise Unsigned("x5c must hold exactly the signer certificate")
    try:
        return x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
    except (ValueError, binascii.Error) as exc:
        raise Unsigned(f"x5c is not a certificate: {exc}") from exc


def _require_issued_by_anchor(
    signer: x509.Certificate, anchor: x509.Certificate, now: datetime
) -> None:
    if signer != anchor:
        try:
            signer.verify_directly_issued_by(anchor)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise WrongSigner(f"signer is not issued by the pinned anchor: {exc}") from exc
    for certificate in (anchor, signer):
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise WrongSigner(f"{certificate.subject.rfc4514_string()} is not valid now")
    try:
        usage = signer.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound as exc:
        raise WrongSigner("signer certificate has no key usage") from exc
    if not usage.digital_signature:
        raise WrongSigner("signer certificate may not sign (no digitalSignature)")


def _parse_payload(payload: bytes, kind: str) -> dict[str, Any]:
    try:
        document = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise Malformed(f"{kind} payload is not JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != kind:
        raise Malformed(f"payload is not a {kind} document")
    return document
