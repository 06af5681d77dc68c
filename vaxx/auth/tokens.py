"""Bearer token format and hashing.

Tokens carry 256 bits from :mod:`secrets`, so a plain SHA-256 is the right stored form:
there is nothing to brute-force and lookups stay a single indexed equality.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "vx_"  # noqa: S105  # nosec B105  # a marker, not a secret


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def display_prefix(token: str) -> str:
    """Enough of a token to tell clients apart in a list, too little to use it."""
    return token[: len(TOKEN_PREFIX) + 6]
