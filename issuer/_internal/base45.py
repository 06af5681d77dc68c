"""Base45 encoding (RFC 9285), the text form of the HC1 string. Encode side only.

Two bytes become three characters (little-endian base-45 digits of ``a * 256 + b``); a
trailing byte becomes two. A table of all 65,536 pair encodings (built on first use, about
2 MB) makes encoding one lookup per pair, the fastest pure-Python form measured.
"""

from __future__ import annotations

from functools import cache

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


@cache
def _pairs() -> tuple[str, ...]:
    return tuple(
        ALPHABET[n % 45] + ALPHABET[n // 45 % 45] + ALPHABET[n // 2025] for n in range(65536)
    )


def encode(data: bytes) -> str:
    """The Base45 text of ``data``."""
    pairs = _pairs()
    even = len(data) - len(data) % 2
    text = "".join([pairs[(data[i] << 8) | data[i + 1]] for i in range(0, even, 2)])
    if even != len(data):
        last = data[-1]
        text += ALPHABET[last % 45] + ALPHABET[last // 45]
    return text
