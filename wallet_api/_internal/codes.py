"""Short secrets people type, and how they are kept at rest.

Claim codes are 12 Crockford base32 characters (60 bits), printed ``XXXX-XXXX-XXXX``; the
alphabet has no I, L, O or U, and typing those (or lower case, spaces, hyphens) still
works. One-time login codes are 6 digits. Holder tokens are 256-bit bearer strings.

Codes are short, so a plain hash of one could be reversed by trying them all if the
database leaked. They are stored as HMAC-SHA256 under a server secret that lives in the
settings, not in the database; the purpose label and a row id are mixed in so equal
values in two rows never produce equal digests. Holder tokens carry 256 bits, so their
stored form is a plain SHA-256 (nothing to brute-force, one indexed lookup).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

CLAIM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CLAIM_LENGTH = 12
LOGIN_CODE_DIGITS = 6
TOKEN_PREFIX = "vxh_"  # noqa: S105  # nosec B105  # a marker, not a secret
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_claim_code() -> str:
    raw = "".join(secrets.choice(CLAIM_ALPHABET) for _ in range(CLAIM_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CLAIM_LENGTH, 4))


def normalize_claim_code(typed: str) -> str | None:
    """The canonical form of what a person typed, or None when it cannot be a claim code."""
    if len(typed) > 64:
        return None
    cleaned = typed.upper().replace("-", "").replace(" ", "").translate(_CONFUSABLE)
    if len(cleaned) != CLAIM_LENGTH or any(c not in CLAIM_ALPHABET for c in cleaned):
        return None
    return cleaned


def new_login_code() -> str:
    return f"{secrets.randbelow(10**LOGIN_CODE_DIGITS):0{LOGIN_CODE_DIGITS}d}"


def normalize_login_code(typed: str) -> str | None:
    cleaned = typed.strip().replace(" ", "")
    if len(cleaned) != LOGIN_CODE_DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return None
    return cleaned


def normalize_national_id(typed: str) -> str | None:
    """Upper-case, no blanks; 4-32 letters and digits (Taiwan IDs are 10: A123456789)."""
    cleaned = typed.strip().upper().replace(" ", "").replace("-", "")
    if not 4 <= len(cleaned) <= 32 or not cleaned.isascii() or not cleaned.isalnum():
        return None
    return cleaned


def mac(secret: bytes, purpose: str, *parts: str) -> str:
    """HMAC-SHA256 of ``parts`` under ``secret``, separated so ("ab","c") != ("a","bc")."""
    message = "\x00".join((purpose, *parts)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_holder_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_id() -> str:
    return secrets.token_hex(12)


def normalize_birth_date(value: str) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (FHIR and the DCC allow partial birth dates);
    slashes or dots are accepted as separators. None when it is not a plausible date."""
    cleaned = value.strip().replace("/", "-").replace(".", "-")
    parts = cleaned.split("-")
    if len(cleaned) > 10 or not 1 <= len(parts) <= 3:
        return None
    if not all(p.isascii() and p.isdigit() for p in parts):
        return None
    year, *rest = (int(p) for p in parts)
    if not 1850 <= year <= 2200 or len(parts[0]) != 4:
        return None
    if rest and not 1 <= rest[0] <= 12:
        return None
    if len(rest) == 2 and not 1 <= rest[1] <= _days_in_month(year, rest[0]):
        return None
    return "-".join([f"{year:04d}", *(f"{n:02d}" for n in rest)])


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31
