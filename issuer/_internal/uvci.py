"""UVCI: Unique Vaccination Certificate/assertion Identifier (eHN guidelines, Annex 2).

Taiwan's form (a): ``URN:UVCI:01:TW:<25 random characters>#<check>``. The check character
is Luhn mod N (N = 38) over the WHOLE string, prefix included, with the alphabet
``A-Z 0-9 / :`` (code point = index): ``../shared/standards/README.md`` section 2.4.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:"
_RANDOM_ALPHABET = ALPHABET[:36]
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
UNIQUE_LENGTH = 25


def luhn_mod_n(text: str) -> str:
    """The Luhn mod 38 check character of ``text`` (upper case, alphabet characters only)."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for character in reversed(text):
        addend = factor * _INDEX[character]
        total += addend // n + addend % n
        factor = 3 - factor
    return ALPHABET[(n - total % n) % n]


def new_uvci(country: str) -> str:
    """A fresh random UVCI (25 random characters: about 129 bits) with its check character."""
    unique = "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(UNIQUE_LENGTH))
    body = f"URN:UVCI:01:{country.upper()}:{unique}"
    return f"{body}#{luhn_mod_n(body)}"


def is_valid(uvci: str) -> bool:
    """True when ``uvci`` carries a correct check character."""
    body, _, check = uvci.rpartition("#")
    if not body or len(check) != 1 or any(c not in _INDEX for c in body):
        return False
    return luhn_mod_n(body) == check
