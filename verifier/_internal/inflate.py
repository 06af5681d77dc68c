"""Bounded zlib inflation (RFC 1950) of the HC1 payload.

The output is capped (64 KiB, far above any real DCC, which is under 2 KiB), so a zip
bomb stops after the cap instead of filling memory. Data that is not a complete zlib
stream is refused: some field verifiers treat a missing 0x78 header as "uncompressed",
but the EU test vector ``common/Z2`` says such input must fail, and the HCERT spec
makes zlib mandatory, so we stay strict.
"""

from __future__ import annotations

import zlib

from verifier.errors import DecompressFailed

MAX_INFLATED = 64 * 1024


def inflate(data: bytes, limit: int = MAX_INFLATED) -> bytes:
    """The inflated bytes, or :class:`DecompressFailed` (not zlib, truncated, oversized)."""
    inflater = zlib.decompressobj()
    try:
        output = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise DecompressFailed(f"not a valid zlib stream: {exc}") from None
    if len(output) > limit:
        raise DecompressFailed(f"inflated payload larger than {limit} bytes")
    if not inflater.eof:
        raise DecompressFailed("zlib stream is truncated")
    if inflater.unused_data:
        raise DecompressFailed("trailing bytes after the zlib stream")
    return output
