"""Base45 encoding (RFC 9285), the text form of the HC1 string. Encode side only.

Two bytes ``n = a * 256 + b`` become three characters, the base-45 digits of ``n`` least
significant first; a trailing byte becomes two. A 2,025-entry table gives the two low
digits at once. It was as fast as a table of all 65,536 pairs when the caches are warm and
40 % faster when the rest of issuing (signing, zlib) has evicted them, which is the case
that matters (``benchmarks/issue.py``).
"""

from __future__ import annotations

import struct

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_LOW = tuple(ALPHABET[n % 45] + ALPHABET[n // 45] for n in range(45 * 45))


def encode(data: bytes) -> str:
    """The Base45 text of ``data``."""
    even = len(data) - len(data) % 2
    parts = []
    for value in struct.unpack(f">{even // 2}H", data[:even]):
        high, low = divmod(value, 2025)
        parts.append(_LOW[low])
        parts.append(ALPHABET[high])
    if even != len(data):
        parts.append(_LOW[data[-1]])
    return "".join(parts)
